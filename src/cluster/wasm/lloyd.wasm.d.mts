export declare const LLOYD_WASM_BASE64: string;
