;; k-means kernels with 128-bit SIMD over a shared memory (one instance per thread).
;; Source of lloyd.wasm.mjs (rebuild with ./build.sh, which needs wabt's wat2wasm).
;;
;; Centres are packed as −2c, feature-major in groups: for `lloyd`, groups of eight, the 64 bytes at
;; ct + (g·d + t)·64 hold −2c[8g][t] … −2c[8g+7][t]; `scan` (Hamerly) uses groups of four, 32 bytes per (g, t).
;; norms holds ‖c‖² padded with +∞ to a multiple of the group width, so the distance used for the argmin is
;; ‖c‖² + x·(−2c), which equals the JavaScript kernel's ‖c‖² − 2·(x·c) bit for bit (scaling by 2 is exact).
;; Each lane computes its own dot product over t in order with separate multiply and add (no fused
;; multiply-add), exactly like the JavaScript kernel, so all choose the same centre bit for bit.
(module
  (import "env" "memory" (memory 1 65536 shared))
;; Fused Lloyd pass over rows [start, end): nearest centre of each row, then its (weighted) value added to the
;; block's sums in row order, exactly as `accumulate` does.
;; Rows go two at a time against each group of eight centres: every centre vector loaded serves
;; both rows, and the sixteen dot products have their own accumulators (a GEMM-like register block). The
;; distance ‖c‖² + x·(−2c) equals the JavaScript kernel's ‖c‖² − 2·x·c bit for bit (scaling by 2 is exact).
;; The argmin is branch-free within a group: the group's minimum (pmin) and the first centre equal to it
;; (bitmask, count trailing zeros), which is the first minimum, as the scalar `<` scan finds it; a later group
;; wins only when strictly smaller. An odd last row is paired with itself and its twin's result dropped.
  (func (export "lloyd")
    (param $x i32) (param $d i32) (param $groups i32) (param $ct i32) (param $norms i32)
    (param $labels i32) (param $start i32) (param $end i32)
    (param $weights i32) (param $sums i32) (param $clusterWeights i32) (result i32)
    (local $i i32) (local $rowBytes i32) (local $rowA i32) (local $rowB i32) (local $pair i32)
    (local $g i32) (local $j i32) (local $t i32) (local $cp i32) (local $np i32) (local $xa i32) (local $xb i32)
    (local $evenD i32) (local $changed i32) (local $r i32) (local $row i32) (local $label i32) (local $labelA i32) (local $labelB i32)
    (local $sp i32) (local $lp i32) (local $w f64) (local $wv v128) (local $v f64) (local $bestA f64) (local $bestB f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $va v128) (local $vb v128) (local $c v128) (local $m v128)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 3)))
    (local.set $evenD (i32.and (local.get $d) (i32.const -2)))
    (local.set $i (local.get $start))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $rowA (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $pair (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
        (local.set $rowB (select (i32.add (local.get $rowA) (local.get $rowBytes)) (local.get $rowA) (local.get $pair)))
        (local.set $bestA (f64.const inf))
        (local.set $bestB (f64.const inf))
        (local.set $labelA (i32.const 0))
        (local.set $labelB (i32.const 0))
        (local.set $cp (local.get $ct))
        (local.set $np (local.get $norms))
        (local.set $g (i32.const 0))
        (block $groupsDone
          (loop $groupLoop
            (br_if $groupsDone (i32.ge_u (local.get $g) (local.get $groups)))
            (local.set $a0 (v128.const f64x2 0 0))
            (local.set $a1 (v128.const f64x2 0 0))
            (local.set $a2 (v128.const f64x2 0 0))
            (local.set $a3 (v128.const f64x2 0 0))
            (local.set $b0 (v128.const f64x2 0 0))
            (local.set $b1 (v128.const f64x2 0 0))
            (local.set $b2 (v128.const f64x2 0 0))
            (local.set $b3 (v128.const f64x2 0 0))
            (local.set $xa (local.get $rowA))
            (local.set $xb (local.get $rowB))
            (local.set $t (i32.const 0))
            (block $featuresDone
              (loop $features
                (br_if $featuresDone (i32.ge_u (local.get $t) (local.get $d)))
                (local.set $va (v128.load64_splat offset=0 (local.get $xa)))
                (local.set $vb (v128.load64_splat offset=0 (local.get $xb)))
                (local.set $c (v128.load offset=0 (local.get $cp)))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $va) (local.get $c))))
                (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $vb) (local.get $c))))
                (local.set $c (v128.load offset=16 (local.get $cp)))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $va) (local.get $c))))
                (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $vb) (local.get $c))))
                (local.set $c (v128.load offset=32 (local.get $cp)))
                (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $va) (local.get $c))))
                (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $vb) (local.get $c))))
                (local.set $c (v128.load offset=48 (local.get $cp)))
                (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $va) (local.get $c))))
                (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $vb) (local.get $c))))
                (local.set $cp (i32.add (local.get $cp) (i32.const 64)))
                (local.set $xa (i32.add (local.get $xa) (i32.const 8)))
                (local.set $xb (i32.add (local.get $xb) (i32.const 8)))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $features)))
            (local.set $j (i32.shl (local.get $g) (i32.const 3)))
            (local.set $d0 (f64x2.add (v128.load (local.get $np)) (local.get $a0)))
            (local.set $d1 (f64x2.add (v128.load offset=16 (local.get $np)) (local.get $a1)))
            (local.set $d2 (f64x2.add (v128.load offset=32 (local.get $np)) (local.get $a2)))
            (local.set $d3 (f64x2.add (v128.load offset=48 (local.get $np)) (local.get $a3)))
            (local.set $m (f64x2.pmin (f64x2.pmin (local.get $d0) (local.get $d1)) (f64x2.pmin (local.get $d2) (local.get $d3))))
            (local.set $m (f64x2.pmin (local.get $m) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $m) (local.get $m))))
            (local.set $v (f64x2.extract_lane 0 (local.get $m)))
            (if (f64.lt (local.get $v) (local.get $bestA))
              (then
                (local.set $bestA (local.get $v))
                (local.set $labelA (i32.add (local.get $j) (i32.ctz
                  (i32.or
                    (i32.or (i64x2.bitmask (f64x2.eq (local.get $d0) (local.get $m)))
                            (i32.shl (i64x2.bitmask (f64x2.eq (local.get $d1) (local.get $m))) (i32.const 2)))
                    (i32.or (i32.shl (i64x2.bitmask (f64x2.eq (local.get $d2) (local.get $m))) (i32.const 4))
                            (i32.shl (i64x2.bitmask (f64x2.eq (local.get $d3) (local.get $m))) (i32.const 6)))))))))
            (local.set $d0 (f64x2.add (v128.load (local.get $np)) (local.get $b0)))
            (local.set $d1 (f64x2.add (v128.load offset=16 (local.get $np)) (local.get $b1)))
            (local.set $d2 (f64x2.add (v128.load offset=32 (local.get $np)) (local.get $b2)))
            (local.set $d3 (f64x2.add (v128.load offset=48 (local.get $np)) (local.get $b3)))
            (local.set $m (f64x2.pmin (f64x2.pmin (local.get $d0) (local.get $d1)) (f64x2.pmin (local.get $d2) (local.get $d3))))
            (local.set $m (f64x2.pmin (local.get $m) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $m) (local.get $m))))
            (local.set $v (f64x2.extract_lane 0 (local.get $m)))
            (if (f64.lt (local.get $v) (local.get $bestB))
              (then
                (local.set $bestB (local.get $v))
                (local.set $labelB (i32.add (local.get $j) (i32.ctz
                  (i32.or
                    (i32.or (i64x2.bitmask (f64x2.eq (local.get $d0) (local.get $m)))
                            (i32.shl (i64x2.bitmask (f64x2.eq (local.get $d1) (local.get $m))) (i32.const 2)))
                    (i32.or (i32.shl (i64x2.bitmask (f64x2.eq (local.get $d2) (local.get $m))) (i32.const 4))
                            (i32.shl (i64x2.bitmask (f64x2.eq (local.get $d3) (local.get $m))) (i32.const 6)))))))))
            (local.set $np (i32.add (local.get $np) (i32.const 64)))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $groupLoop)))
        ;; Row A, then row B when it is a real row: label, change count, sums (as `accumulate`).
        (local.set $r (i32.const 0))
        (block $pairDone
          (loop $pairLoop
            (br_if $pairDone (i32.gt_u (local.get $r) (local.get $pair)))
            (local.set $row (i32.add (local.get $i) (local.get $r)))
            (local.set $label (select (local.get $labelB) (local.get $labelA) (local.get $r)))
            (local.set $xa (select (local.get $rowB) (local.get $rowA) (local.get $r)))
            (local.set $lp (i32.add (local.get $labels) (i32.shl (local.get $row) (i32.const 2))))
            (if (i32.ne (i32.load (local.get $lp)) (local.get $label))
              (then (i32.store (local.get $lp) (local.get $label)) (local.set $changed (i32.add (local.get $changed) (i32.const 1)))))
            (local.set $sp (i32.add (local.get $sums) (i32.mul (local.get $label) (local.get $rowBytes))))
            (local.set $lp (i32.add (local.get $clusterWeights) (i32.shl (local.get $label) (i32.const 3))))
            (local.set $t (i32.const 0))
            (if (i32.eqz (local.get $weights))
              (then
                (block $sumDone
                  (loop $sumLoop
                    (br_if $sumDone (i32.ge_u (local.get $t) (local.get $evenD)))
                    (v128.store (local.get $sp) (f64x2.add (v128.load (local.get $sp)) (v128.load (local.get $xa))))
                    (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
                    (local.set $xa (i32.add (local.get $xa) (i32.const 16)))
                    (local.set $t (i32.add (local.get $t) (i32.const 2)))
                    (br $sumLoop)))
                (if (i32.lt_u (local.get $t) (local.get $d))
                  (then (f64.store (local.get $sp) (f64.add (f64.load (local.get $sp)) (f64.load (local.get $xa))))))
                (f64.store (local.get $lp) (f64.add (f64.load (local.get $lp)) (f64.const 1))))
              (else
                (local.set $w (f64.load (i32.add (local.get $weights) (i32.shl (local.get $row) (i32.const 3)))))
                (local.set $wv (f64x2.splat (local.get $w)))
                (block $wSumDone
                  (loop $wSumLoop
                    (br_if $wSumDone (i32.ge_u (local.get $t) (local.get $evenD)))
                    (v128.store (local.get $sp) (f64x2.add (v128.load (local.get $sp)) (f64x2.mul (local.get $wv) (v128.load (local.get $xa)))))
                    (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
                    (local.set $xa (i32.add (local.get $xa) (i32.const 16)))
                    (local.set $t (i32.add (local.get $t) (i32.const 2)))
                    (br $wSumLoop)))
                (if (i32.lt_u (local.get $t) (local.get $d))
                  (then (f64.store (local.get $sp) (f64.add (f64.load (local.get $sp)) (f64.mul (local.get $w) (f64.load (local.get $xa)))))))
                (f64.store (local.get $lp) (f64.add (f64.load (local.get $lp)) (local.get $w)))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $pairLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows)))
    (local.get $changed))


;; Hamerly's full scan of the listed rows: label, upper bound √‖x − c_best‖² (direct) and lower bound
;; √max(0, second-best expanded distance + ‖x‖²), exactly as scanRow in kernels.mjs.
  (func (export "scan")
    (param $x i32) (param $d i32) (param $groups i32) (param $ct i32) (param $norms i32) (param $centres i32)
    (param $xNorms i32) (param $labels i32) (param $upper i32) (param $lower i32) (param $list i32) (param $count i32)
    (result i32)
    (local $idx i32) (local $i i32) (local $row i32) (local $g i32) (local $t i32) (local $cp i32) (local $xp i32)
    (local $j i32) (local $np i32) (local $lp i32) (local $best i32) (local $changed i32)
    (local $acc0 v128) (local $acc1 v128) (local $xv v128) (local $dist0 v128) (local $dist1 v128)
    (local $bestDist f64) (local $second f64) (local $v f64) (local $s f64) (local $diff f64)
    (block $listDone
      (loop $listLoop
        (br_if $listDone (i32.ge_u (local.get $idx) (local.get $count)))
        (local.set $i (i32.load (i32.add (local.get $list) (i32.shl (local.get $idx) (i32.const 2)))))
        (local.set $row (i32.add (local.get $x) (i32.shl (i32.mul (local.get $i) (local.get $d)) (i32.const 3))))
        (local.set $best (i32.const 0))
        (local.set $bestDist (f64.const inf))
        (local.set $second (f64.const inf))
        (local.set $cp (local.get $ct))
        (local.set $g (i32.const 0))
        (block $groupsDone
          (loop $groupLoop
            (br_if $groupsDone (i32.ge_u (local.get $g) (local.get $groups)))
            (local.set $acc0 (v128.const f64x2 0 0))
            (local.set $acc1 (v128.const f64x2 0 0))
            (local.set $xp (local.get $row))
            (local.set $t (i32.const 0))
            (block $featuresDone
              (loop $features
                (br_if $featuresDone (i32.ge_u (local.get $t) (local.get $d)))
                (local.set $xv (v128.load64_splat (local.get $xp)))
                (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $xv) (v128.load (local.get $cp)))))
                (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $xv) (v128.load offset=16 (local.get $cp)))))
                (local.set $cp (i32.add (local.get $cp) (i32.const 32)))
                (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $features)))
            (local.set $j (i32.shl (local.get $g) (i32.const 2)))
            (local.set $np (i32.add (local.get $norms) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $dist0 (f64x2.add (v128.load (local.get $np)) (local.get $acc0)))
            (local.set $dist1 (f64x2.add (v128.load offset=16 (local.get $np)) (local.get $acc1)))
            (local.set $v (f64x2.extract_lane 0 (local.get $dist0)))
            (if (f64.lt (local.get $v) (local.get $bestDist))
              (then (local.set $second (local.get $bestDist)) (local.set $bestDist (local.get $v)) (local.set $best (local.get $j)))
              (else (if (f64.lt (local.get $v) (local.get $second)) (then (local.set $second (local.get $v))))))
            (local.set $v (f64x2.extract_lane 1 (local.get $dist0)))
            (if (f64.lt (local.get $v) (local.get $bestDist))
              (then (local.set $second (local.get $bestDist)) (local.set $bestDist (local.get $v)) (local.set $best (i32.add (local.get $j) (i32.const 1))))
              (else (if (f64.lt (local.get $v) (local.get $second)) (then (local.set $second (local.get $v))))))
            (local.set $v (f64x2.extract_lane 0 (local.get $dist1)))
            (if (f64.lt (local.get $v) (local.get $bestDist))
              (then (local.set $second (local.get $bestDist)) (local.set $bestDist (local.get $v)) (local.set $best (i32.add (local.get $j) (i32.const 2))))
              (else (if (f64.lt (local.get $v) (local.get $second)) (then (local.set $second (local.get $v))))))
            (local.set $v (f64x2.extract_lane 1 (local.get $dist1)))
            (if (f64.lt (local.get $v) (local.get $bestDist))
              (then (local.set $second (local.get $bestDist)) (local.set $bestDist (local.get $v)) (local.set $best (i32.add (local.get $j) (i32.const 3))))
              (else (if (f64.lt (local.get $v) (local.get $second)) (then (local.set $second (local.get $v))))))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $groupLoop)))
        (local.set $lp (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2))))
        (if (i32.ne (i32.load (local.get $lp)) (local.get $best))
          (then (local.set $changed (i32.add (local.get $changed) (i32.const 1)))))
        (i32.store (local.get $lp) (local.get $best))
        ;; upper = √ direct ‖x − c_best‖²
        (local.set $s (f64.const 0))
        (local.set $xp (local.get $row))
        (local.set $cp (i32.add (local.get $centres) (i32.shl (i32.mul (local.get $best) (local.get $d)) (i32.const 3))))
        (local.set $t (i32.const 0))
        (block $directDone
          (loop $direct
            (br_if $directDone (i32.ge_u (local.get $t) (local.get $d)))
            (local.set $diff (f64.sub (f64.load (local.get $xp)) (f64.load (local.get $cp))))
            (local.set $s (f64.add (local.get $s) (f64.mul (local.get $diff) (local.get $diff))))
            (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 8)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $direct)))
        (f64.store (i32.add (local.get $upper) (i32.shl (local.get $i) (i32.const 3))) (f64.sqrt (local.get $s)))
        (f64.store (i32.add (local.get $lower) (i32.shl (local.get $i) (i32.const 3)))
          (f64.sqrt (f64.max (f64.const 0)
            (f64.add (local.get $second) (f64.load (i32.add (local.get $xNorms) (i32.shl (local.get $i) (i32.const 3))))))))
        (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
        (br $listLoop)))
    (local.get $changed))

;; Per-block weighted sums of rows by label: sums[label] += w·x (or += x without weights) and
;; clusterWeights[label] += w, row by row in order. Two features at a time, but each element's additions happen
;; in the same order as in the JavaScript accumulateBlock, so the sums are identical. `weights` 0 means none.
  (func (export "accumulate")
    (param $x i32) (param $d i32) (param $labels i32) (param $weights i32) (param $start i32) (param $end i32)
    (param $sums i32) (param $clusterWeights i32)
    (local $i i32) (local $t i32) (local $xp i32) (local $sp i32) (local $label i32) (local $wp i32)
    (local $w f64) (local $wv v128) (local $pairs i32)
    (local.set $pairs (i32.and (local.get $d) (i32.const -2)))
    (local.set $i (local.get $start))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $label (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $xp (i32.add (local.get $x) (i32.shl (i32.mul (local.get $i) (local.get $d)) (i32.const 3))))
        (local.set $sp (i32.add (local.get $sums) (i32.shl (i32.mul (local.get $label) (local.get $d)) (i32.const 3))))
        (local.set $wp (i32.add (local.get $clusterWeights) (i32.shl (local.get $label) (i32.const 3))))
        (local.set $t (i32.const 0))
        (if (i32.eqz (local.get $weights))
          (then
            (block $pairsDone
              (loop $pairLoop
                (br_if $pairsDone (i32.ge_u (local.get $t) (local.get $pairs)))
                (v128.store (local.get $sp) (f64x2.add (v128.load (local.get $sp)) (v128.load (local.get $xp))))
                (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
                (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
                (local.set $t (i32.add (local.get $t) (i32.const 2)))
                (br $pairLoop)))
            (if (i32.lt_u (local.get $t) (local.get $d))
              (then (f64.store (local.get $sp) (f64.add (f64.load (local.get $sp)) (f64.load (local.get $xp))))))
            (f64.store (local.get $wp) (f64.add (f64.load (local.get $wp)) (f64.const 1))))
          (else
            (local.set $w (f64.load (i32.add (local.get $weights) (i32.shl (local.get $i) (i32.const 3)))))
            (local.set $wv (f64x2.splat (local.get $w)))
            (block $wPairsDone
              (loop $wPairLoop
                (br_if $wPairsDone (i32.ge_u (local.get $t) (local.get $pairs)))
                (v128.store (local.get $sp) (f64x2.add (v128.load (local.get $sp)) (f64x2.mul (local.get $wv) (v128.load (local.get $xp)))))
                (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
                (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
                (local.set $t (i32.add (local.get $t) (i32.const 2)))
                (br $wPairLoop)))
            (if (i32.lt_u (local.get $t) (local.get $d))
              (then (f64.store (local.get $sp) (f64.add (f64.load (local.get $sp)) (f64.mul (local.get $w) (f64.load (local.get $xp)))))))
            (f64.store (local.get $wp) (f64.add (f64.load (local.get $wp)) (local.get $w)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

;; k-means++ trials: for candidates in quads (the 32 bytes at cand + (q·d + t)·32 hold c[4q][t] … c[4q+3][t]),
;; each row's squared distance to every candidate, D = max(0, (‖x‖² + ‖c‖²) − 2·x·c), taken down to the row's
;; current closest distance (+∞ when `closest` is 0): out[c·n + i] = min(closest[i], D); `closest` may be one of the
;; output planes (each row's is read before its outputs are written). potentials (4 per quad,
;; zeroed here) receive Σ w·out over rows [start, end) in row order. ‖x‖² and ‖c‖² are summed over t in order,
;; like the dot products, so a row's distance to itself is exactly 0. Two rows per register block; an odd last
;; row is paired with itself and its twin's result dropped.
  (func (export "seed")
    (param $x i32) (param $d i32) (param $xNorms i32) (param $start i32) (param $end i32)
    (param $cand i32) (param $candNorms i32) (param $quads i32) (param $closest i32) (param $weights i32)
    (param $out i32) (param $n i32) (param $potentials i32)
    (local $i i32) (local $rowBytes i32) (local $rowA i32) (local $rowB i32) (local $pair i32) (local $q i32)
    (local $t i32) (local $cp i32) (local $xa i32) (local $xb i32) (local $np i32) (local $pp i32) (local $op i32)
    (local $plane i32) (local $r i32) (local $row i32)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $va v128) (local $vb v128) (local $c v128)
    (local $m0 v128) (local $m1 v128) (local $near v128) (local $nearA v128) (local $nearB v128) (local $base v128) (local $w v128)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 3)))
    (local.set $plane (i32.shl (local.get $n) (i32.const 3)))
    (local.set $q (i32.const 0))
    (block $zeroDone
      (loop $zero
        (br_if $zeroDone (i32.ge_u (local.get $q) (local.get $quads)))
        (local.set $pp (i32.add (local.get $potentials) (i32.shl (local.get $q) (i32.const 5))))
        (v128.store (local.get $pp) (v128.const f64x2 0 0))
        (v128.store offset=16 (local.get $pp) (v128.const f64x2 0 0))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $zero)))
    (local.set $i (local.get $start))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $rowA (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $pair (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
        (local.set $rowB (select (i32.add (local.get $rowA) (local.get $rowBytes)) (local.get $rowA) (local.get $pair)))
        ;; Both rows' closest distances are read before any output is written: `closest` may be an output plane.
        (local.set $nearA (v128.const f64x2 inf inf))
        (local.set $nearB (v128.const f64x2 inf inf))
        (if (local.get $closest)
          (then
            (local.set $nearA (v128.load64_splat (i32.add (local.get $closest) (i32.shl (local.get $i) (i32.const 3)))))
            (local.set $nearB (v128.load64_splat (i32.add (local.get $closest)
              (i32.shl (i32.add (local.get $i) (local.get $pair)) (i32.const 3)))))))
        (local.set $cp (local.get $cand))
        (local.set $q (i32.const 0))
        (block $quadsDone
          (loop $quadLoop
            (br_if $quadsDone (i32.ge_u (local.get $q) (local.get $quads)))
            (local.set $a0 (v128.const f64x2 0 0))
            (local.set $a1 (v128.const f64x2 0 0))
            (local.set $b0 (v128.const f64x2 0 0))
            (local.set $b1 (v128.const f64x2 0 0))
            (local.set $xa (local.get $rowA))
            (local.set $xb (local.get $rowB))
            (local.set $t (i32.const 0))
            (block $featuresDone
              (loop $features
                (br_if $featuresDone (i32.ge_u (local.get $t) (local.get $d)))
                (local.set $va (v128.load64_splat (local.get $xa)))
                (local.set $vb (v128.load64_splat (local.get $xb)))
                (local.set $c (v128.load (local.get $cp)))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $va) (local.get $c))))
                (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $vb) (local.get $c))))
                (local.set $c (v128.load offset=16 (local.get $cp)))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $va) (local.get $c))))
                (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $vb) (local.get $c))))
                (local.set $cp (i32.add (local.get $cp) (i32.const 32)))
                (local.set $xa (i32.add (local.get $xa) (i32.const 8)))
                (local.set $xb (i32.add (local.get $xb) (i32.const 8)))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $features)))
            (local.set $np (i32.add (local.get $candNorms) (i32.shl (local.get $q) (i32.const 5))))
            (local.set $pp (i32.add (local.get $potentials) (i32.shl (local.get $q) (i32.const 5))))
            ;; Row A, then row B when it is a real row.
            (local.set $r (i32.const 0))
            (block $pairDone
              (loop $pairLoop
                (br_if $pairDone (i32.gt_u (local.get $r) (local.get $pair)))
                (local.set $row (i32.add (local.get $i) (local.get $r)))
                (local.set $base (f64x2.splat (f64.load (i32.add (local.get $xNorms) (i32.shl (local.get $row) (i32.const 3))))))
                (local.set $near (select (result v128) (local.get $nearB) (local.get $nearA) (local.get $r)))
                (local.set $m0 (f64x2.sub (f64x2.add (local.get $base) (v128.load (local.get $np)))
                  (f64x2.mul (v128.const f64x2 2 2) (select (result v128) (local.get $b0) (local.get $a0) (local.get $r)))))
                (local.set $m1 (f64x2.sub (f64x2.add (local.get $base) (v128.load offset=16 (local.get $np)))
                  (f64x2.mul (v128.const f64x2 2 2) (select (result v128) (local.get $b1) (local.get $a1) (local.get $r)))))
                (local.set $m0 (f64x2.pmin (local.get $near) (f64x2.pmax (v128.const f64x2 0 0) (local.get $m0))))
                (local.set $m1 (f64x2.pmin (local.get $near) (f64x2.pmax (v128.const f64x2 0 0) (local.get $m1))))
                (local.set $op (i32.add (local.get $out)
                  (i32.add (i32.shl (local.get $row) (i32.const 3)) (i32.mul (i32.shl (local.get $q) (i32.const 2)) (local.get $plane)))))
                (v128.store64_lane 0 (local.get $op) (local.get $m0))
                (local.set $op (i32.add (local.get $op) (local.get $plane)))
                (v128.store64_lane 1 (local.get $op) (local.get $m0))
                (local.set $op (i32.add (local.get $op) (local.get $plane)))
                (v128.store64_lane 0 (local.get $op) (local.get $m1))
                (local.set $op (i32.add (local.get $op) (local.get $plane)))
                (v128.store64_lane 1 (local.get $op) (local.get $m1))
                (if (local.get $weights)
                  (then
                    (local.set $w (v128.load64_splat (i32.add (local.get $weights) (i32.shl (local.get $row) (i32.const 3)))))
                    (local.set $m0 (f64x2.mul (local.get $w) (local.get $m0)))
                    (local.set $m1 (f64x2.mul (local.get $w) (local.get $m1)))))
                (v128.store (local.get $pp) (f64x2.add (v128.load (local.get $pp)) (local.get $m0)))
                (v128.store offset=16 (local.get $pp) (f64x2.add (v128.load offset=16 (local.get $pp)) (local.get $m1)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $pairLoop)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $quadLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows))))

;; Σ w·‖x − c_label‖² over rows [start, end), computed directly (not expanded) for accuracy: per row, features in
;; pairs into two lanes (even and odd t, each summed in order), then lane 0 + lane 1, then an odd last feature.
;; inertiaRows in kernels.mjs does the same arithmetic.
  (func (export "inertia")
    (param $x i32) (param $d i32) (param $centres i32) (param $labels i32) (param $weights i32)
    (param $start i32) (param $end i32) (result f64)
    (local $i i32) (local $t i32) (local $evenD i32) (local $rowBytes i32) (local $xp i32) (local $cp i32)
    (local $acc v128) (local $diff v128) (local $s f64) (local $e f64) (local $total f64)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 3)))
    (local.set $evenD (i32.and (local.get $d) (i32.const -2)))
    (local.set $i (local.get $start))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $xp (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $cp (i32.add (local.get $centres)
          (i32.mul (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))) (local.get $rowBytes))))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $t (i32.const 0))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_u (local.get $t) (local.get $evenD)))
            (local.set $diff (f64x2.sub (v128.load (local.get $xp)) (v128.load (local.get $cp))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $diff) (local.get $diff))))
            (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
            (local.set $t (i32.add (local.get $t) (i32.const 2)))
            (br $pairs)))
        (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        (if (i32.lt_u (local.get $t) (local.get $d))
          (then
            (local.set $e (f64.sub (f64.load (local.get $xp)) (f64.load (local.get $cp))))
            (local.set $s (f64.add (local.get $s) (f64.mul (local.get $e) (local.get $e))))))
        (if (local.get $weights)
          (then (local.set $s (f64.mul (f64.load (i32.add (local.get $weights) (i32.shl (local.get $i) (i32.const 3)))) (local.get $s)))))
        (local.set $total (f64.add (local.get $total) (local.get $s)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (local.get $total))

;; Silhouette sums: for rows a in [start, end) (two at a time, start even), out[a·count + c] = Σ over the rows b of
;; cluster c of w_b·‖x_a − x_b‖ (direct differences). Rows are packed in octets by cluster, each cluster padded
;; to whole octets with weight-0 rows: the 64 bytes at rows + (o·d + t)·64 hold x[8o][t] … x[8o+7][t], and
;; cluster c spans octets bounds[c] .. bounds[c+1] (i32). Lane ℓ of the sum takes the rows 8o + 2q + ℓ in order;
;; the two lanes are added at the end (silhouetteRows in kernels.mjs does the same arithmetic).
  (func (export "silhouette")
    (param $rows i32) (param $d i32) (param $weights i32) (param $bounds i32) (param $count i32)
    (param $start i32) (param $end i32) (param $out i32)
    (local $a i32) (local $rowA i32) (local $c i32) (local $o i32) (local $oEnd i32) (local $t i32)
    (local $xa i32) (local $qp i32) (local $wp i32) (local $octetBytes i32) (local $op i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $va v128) (local $vb v128) (local $cv v128) (local $e v128) (local $sumA v128) (local $sumB v128)
    (local.set $octetBytes (i32.shl (local.get $d) (i32.const 6)))
    (local.set $a (local.get $start))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $a) (local.get $end)))
        ;; Rows a and a + 1 are lanes (a & 7) and (a & 7) + 1 of octet a >> 3.
        (local.set $rowA (i32.add (local.get $rows)
          (i32.add (i32.mul (i32.shr_u (local.get $a) (i32.const 3)) (local.get $octetBytes)) (i32.shl (i32.and (local.get $a) (i32.const 7)) (i32.const 3)))))
        (local.set $c (i32.const 0))
        (block $clustersDone
          (loop $clusterLoop
            (br_if $clustersDone (i32.ge_u (local.get $c) (local.get $count)))
            (local.set $o (i32.load (i32.add (local.get $bounds) (i32.shl (local.get $c) (i32.const 2)))))
            (local.set $oEnd (i32.load offset=4 (i32.add (local.get $bounds) (i32.shl (local.get $c) (i32.const 2)))))
            (local.set $sumA (v128.const f64x2 0 0))
            (local.set $sumB (v128.const f64x2 0 0))
            (block $octetsDone
              (loop $octetLoop
                (br_if $octetsDone (i32.ge_u (local.get $o) (local.get $oEnd)))
                (local.set $a0 (v128.const f64x2 0 0))
                (local.set $a1 (v128.const f64x2 0 0))
                (local.set $a2 (v128.const f64x2 0 0))
                (local.set $a3 (v128.const f64x2 0 0))
                (local.set $b0 (v128.const f64x2 0 0))
                (local.set $b1 (v128.const f64x2 0 0))
                (local.set $b2 (v128.const f64x2 0 0))
                (local.set $b3 (v128.const f64x2 0 0))
                (local.set $xa (local.get $rowA))
                (local.set $qp (i32.add (local.get $rows) (i32.mul (local.get $o) (local.get $octetBytes))))
                (local.set $t (i32.const 0))
                (block $featuresDone
                  (loop $features
                    (br_if $featuresDone (i32.ge_u (local.get $t) (local.get $d)))
                (local.set $va (v128.load64_splat (local.get $xa)))
                (local.set $vb (v128.load64_splat offset=8 (local.get $xa)))
                (local.set $cv (v128.load (local.get $qp)))
                (local.set $e (f64x2.sub (local.get $va) (local.get $cv)))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $e) (local.get $e))))
                (local.set $e (f64x2.sub (local.get $vb) (local.get $cv)))
                (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $e) (local.get $e))))
                (local.set $cv (v128.load offset=16 (local.get $qp)))
                (local.set $e (f64x2.sub (local.get $va) (local.get $cv)))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $e) (local.get $e))))
                (local.set $e (f64x2.sub (local.get $vb) (local.get $cv)))
                (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $e) (local.get $e))))
                (local.set $cv (v128.load offset=32 (local.get $qp)))
                (local.set $e (f64x2.sub (local.get $va) (local.get $cv)))
                (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $e) (local.get $e))))
                (local.set $e (f64x2.sub (local.get $vb) (local.get $cv)))
                (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $e) (local.get $e))))
                (local.set $cv (v128.load offset=48 (local.get $qp)))
                (local.set $e (f64x2.sub (local.get $va) (local.get $cv)))
                (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $e) (local.get $e))))
                (local.set $e (f64x2.sub (local.get $vb) (local.get $cv)))
                (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $e) (local.get $e))))
                    (local.set $xa (i32.add (local.get $xa) (i32.const 64)))
                    (local.set $qp (i32.add (local.get $qp) (i32.const 64)))
                    (local.set $t (i32.add (local.get $t) (i32.const 1)))
                    (br $features)))
                (local.set $wp (i32.add (local.get $weights) (i32.shl (local.get $o) (i32.const 6))))
            (local.set $sumA (f64x2.add (local.get $sumA) (f64x2.mul (v128.load (local.get $wp)) (f64x2.sqrt (local.get $a0)))))
            (local.set $sumA (f64x2.add (local.get $sumA) (f64x2.mul (v128.load offset=16 (local.get $wp)) (f64x2.sqrt (local.get $a1)))))
            (local.set $sumA (f64x2.add (local.get $sumA) (f64x2.mul (v128.load offset=32 (local.get $wp)) (f64x2.sqrt (local.get $a2)))))
            (local.set $sumA (f64x2.add (local.get $sumA) (f64x2.mul (v128.load offset=48 (local.get $wp)) (f64x2.sqrt (local.get $a3)))))
            (local.set $sumB (f64x2.add (local.get $sumB) (f64x2.mul (v128.load (local.get $wp)) (f64x2.sqrt (local.get $b0)))))
            (local.set $sumB (f64x2.add (local.get $sumB) (f64x2.mul (v128.load offset=16 (local.get $wp)) (f64x2.sqrt (local.get $b1)))))
            (local.set $sumB (f64x2.add (local.get $sumB) (f64x2.mul (v128.load offset=32 (local.get $wp)) (f64x2.sqrt (local.get $b2)))))
            (local.set $sumB (f64x2.add (local.get $sumB) (f64x2.mul (v128.load offset=48 (local.get $wp)) (f64x2.sqrt (local.get $b3)))))
                (local.set $o (i32.add (local.get $o) (i32.const 1)))
                (br $octetLoop)))
            (local.set $op (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $count)) (local.get $c)) (i32.const 3))))
            (f64.store (local.get $op) (f64.add (f64x2.extract_lane 0 (local.get $sumA)) (f64x2.extract_lane 1 (local.get $sumA))))
            (f64.store (i32.add (local.get $op) (i32.shl (local.get $count) (i32.const 3)))
              (f64.add (f64x2.extract_lane 0 (local.get $sumB)) (f64x2.extract_lane 1 (local.get $sumB))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $clusterLoop)))
        (local.set $a (i32.add (local.get $a) (i32.const 2)))
        (br $rowLoop))))

;; Column sums of rows [start, end) into sums[0 .. d) (zeroed here), each column summed over rows in order.
  (func (export "columnSums")
    (param $x i32) (param $d i32) (param $start i32) (param $end i32) (param $sums i32)
    (local $i i32) (local $t i32) (local $evenD i32) (local $xp i32) (local $sp i32)
    (local.set $evenD (i32.and (local.get $d) (i32.const -2)))
    (local.set $t (i32.const 0))
    (block $zeroDone
      (loop $zero
        (br_if $zeroDone (i32.ge_u (local.get $t) (local.get $d)))
        (f64.store (i32.add (local.get $sums) (i32.shl (local.get $t) (i32.const 3))) (f64.const 0))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $zero)))
    (local.set $xp (i32.add (local.get $x) (i32.shl (i32.mul (local.get $start) (local.get $d)) (i32.const 3))))
    (local.set $i (local.get $start))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $sp (local.get $sums))
        (local.set $t (i32.const 0))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_u (local.get $t) (local.get $evenD)))
            (v128.store (local.get $sp) (f64x2.add (v128.load (local.get $sp)) (v128.load (local.get $xp))))
            (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
            (local.set $t (i32.add (local.get $t) (i32.const 2)))
            (br $pairs)))
        (if (i32.lt_u (local.get $t) (local.get $d))
          (then
            (f64.store (local.get $sp) (f64.add (f64.load (local.get $sp)) (f64.load (local.get $xp))))
            (local.set $xp (i32.add (local.get $xp) (i32.const 8)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

;; Centring of rows [start, end) in place: x ← x − mean; xNorms[i] = Σ_t x_t² summed over t in order (as the
;; k-means++ kernel sums its dot products); variance[t] (zeroed here) += x_t² row by row; *maxNorm = the largest
;; norm; *finite = 1 unless some norm is NaN or ±∞.
  (func (export "centre")
    (param $x i32) (param $d i32) (param $mean i32) (param $start i32) (param $end i32) (param $xNorms i32)
    (param $variance i32) (param $maxNorm i32) (param $finite i32)
    (local $i i32) (local $t i32) (local $evenD i32) (local $xp i32) (local $mp i32) (local $vp i32)
    (local $v v128) (local $sq v128) (local $norm f64) (local $e f64) (local $max f64) (local $ok i32)
    (local.set $evenD (i32.and (local.get $d) (i32.const -2)))
    (local.set $ok (i32.const 1))
    (local.set $t (i32.const 0))
    (block $zeroDone
      (loop $zero
        (br_if $zeroDone (i32.ge_u (local.get $t) (local.get $d)))
        (f64.store (i32.add (local.get $variance) (i32.shl (local.get $t) (i32.const 3))) (f64.const 0))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $zero)))
    (local.set $xp (i32.add (local.get $x) (i32.shl (i32.mul (local.get $start) (local.get $d)) (i32.const 3))))
    (local.set $i (local.get $start))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $mp (local.get $mean))
        (local.set $vp (local.get $variance))
        (local.set $norm (f64.const 0))
        (local.set $t (i32.const 0))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_u (local.get $t) (local.get $evenD)))
            (local.set $v (f64x2.sub (v128.load (local.get $xp)) (v128.load (local.get $mp))))
            (v128.store (local.get $xp) (local.get $v))
            (local.set $sq (f64x2.mul (local.get $v) (local.get $v)))
            (local.set $norm (f64.add (f64.add (local.get $norm) (f64x2.extract_lane 0 (local.get $sq))) (f64x2.extract_lane 1 (local.get $sq))))
            (v128.store (local.get $vp) (f64x2.add (v128.load (local.get $vp)) (local.get $sq)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
            (local.set $mp (i32.add (local.get $mp) (i32.const 16)))
            (local.set $vp (i32.add (local.get $vp) (i32.const 16)))
            (local.set $t (i32.add (local.get $t) (i32.const 2)))
            (br $pairs)))
        (if (i32.lt_u (local.get $t) (local.get $d))
          (then
            (local.set $e (f64.sub (f64.load (local.get $xp)) (f64.load (local.get $mp))))
            (f64.store (local.get $xp) (local.get $e))
            (local.set $e (f64.mul (local.get $e) (local.get $e)))
            (local.set $norm (f64.add (local.get $norm) (local.get $e)))
            (f64.store (local.get $vp) (f64.add (f64.load (local.get $vp)) (local.get $e)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 8)))))
        (f64.store (i32.add (local.get $xNorms) (i32.shl (local.get $i) (i32.const 3))) (local.get $norm))
        (if (f64.gt (local.get $norm) (local.get $max)) (then (local.set $max (local.get $norm))))
        (if (i32.eqz (f64.lt (local.get $norm) (f64.const inf))) (then (local.set $ok (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (f64.store (local.get $maxNorm) (local.get $max))
    (i32.store (local.get $finite) (local.get $ok)))
)
