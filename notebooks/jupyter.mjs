#!/usr/bin/env node
// Jupyter glue for the notebooks: registers the Deno kernel (from the `deno` dev dependency) in a kernelspec
// directory inside node_modules/.cache, so nothing is written to the user's Jupyter setup, then either
// prints that directory (for JUPYTER_PATH) or opens the notebooks.
//
//   node notebooks/jupyter.mjs open        # install the kernelspec, start `jupyter notebook` on notebooks/
//   node notebooks/jupyter.mjs kernelspec  # install it and print {"jupyterPath": ..., "deno": ...} as JSON
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const notebooksDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(notebooksDir, '..');
const require = createRequire(import.meta.url);

/** The real deno executable (not the node shim), so Jupyter can signal and stop the kernel directly. */
function denoExecutable() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('deno/package.json'));
  } catch {
    fail('the `deno` package is not installed: run `npm ci` (or `npm install`) in the repository first');
  }
  const exe = join(packageDir, process.platform === 'win32' ? 'deno.exe' : 'deno');
  if (existsSync(exe)) return exe;
  // The package's postinstall normally puts the binary there; when install scripts were skipped, resolve it.
  return require(join(packageDir, 'install_api.cjs')).runInstall();
}

/** Writes kernels/deno/kernel.json under a cache directory and returns that directory (a JUPYTER_PATH entry). */
export function installKernelspec() {
  const deno = denoExecutable();
  const jupyterPath = join(repoRoot, 'node_modules', '.cache', 'personae-jupyter');
  const kernelDir = join(jupyterPath, 'kernels', 'deno');
  mkdirSync(kernelDir, { recursive: true });
  const spec = {
    argv: [deno, 'jupyter', '--kernel', '--conn', '{connection_file}'],
    display_name: 'Deno (Personae)',
    language: 'typescript',
    // Deno's own telemetry and update checks are pointless in a notebook kernel and slow on a machine offline.
    env: { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1' },
  };
  writeFileSync(join(kernelDir, 'kernel.json'), `${JSON.stringify(spec, null, 2)}\n`);
  return { jupyterPath, deno };
}

function fail(message) {
  process.stderr.write(`notebooks: ${message}\n`);
  process.exit(1);
}

function hasJupyter() {
  const probe = spawnSync('jupyter', ['--version'], { stdio: 'ignore' });
  return probe.status === 0;
}

function main(command) {
  if (command === 'kernelspec') {
    process.stdout.write(`${JSON.stringify(installKernelspec())}\n`);
    return;
  }
  if (command === 'open') {
    if (!hasJupyter()) {
      fail(
        'Jupyter is not installed. On Debian/Ubuntu: `sudo apt-get install jupyter-notebook jupyter-nbconvert python3-notebook`; ' +
          'elsewhere: `pip install notebook`.',
      );
    }
    const { jupyterPath } = installKernelspec();
    const env = { ...process.env, JUPYTER_PATH: [jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(':') };
    // Jupyter refuses to run as root without --allow-root (containers and CI images usually are root).
    const asRoot = process.getuid?.() === 0 ? ['--allow-root'] : [];
    const child = spawn('jupyter', ['notebook', `--notebook-dir=${notebooksDir}`, ...asRoot, ...process.argv.slice(3)], {
      stdio: 'inherit',
      env,
    });
    // Ctrl-C reaches Jupyter directly (same process group) and Jupyter asks before stopping: stay alive until it
    // exits. Termination signals sent to this process alone are passed on, so no server is left behind.
    process.on('SIGINT', () => {});
    for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
    child.on('exit', (code) => process.exit(code ?? 1));
    return;
  }
  fail(`unknown command ${JSON.stringify(command ?? '')}: use \`open\` or \`kernelspec\``);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv[2]);
