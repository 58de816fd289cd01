;; The forecast's Monte Carlo paths (domain/forecast.ts, `simulate`) as WebAssembly: the same
;; draws from the same generator in the same order, so every path ends on the same bits as the
;; JavaScript loop's. Run once per command, that loop spent most of its 40 ms in V8's interpreter
;; before its optimised code arrived; this module is compiled before it runs.
;;
;; Math.log is fdlibm's __ieee754_log, the algorithm V8 computes Math.log with, written out below
;; (test/domain/forecast-paths.test.ts compares it with Math.log on millions of inputs); exp and
;; cos are imported from JavaScript's Math. scripts/gen-wasm.mjs assembles this text into
;; domain/forecast-paths-wasm.ts; a test checks that file is this text's assembly.
(module
  (import "math" "exp" (func $exp (param f64) (result f64)))
  (import "math" "cos" (func $cos (param f64) (result f64)))
  (memory (export "memory") 1)
  (global $state (mut i32) (i32.const 0))

  ;; mulberry32: the next uniform on [0, 1).
  (func $rng (result f64)
    (local $t i32)
    (global.set $state (i32.add (global.get $state) (i32.const 0x6d2b79f5)))
    (local.set $t (global.get $state))
    (local.set $t (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 15)))
                           (i32.or (local.get $t) (i32.const 1))))
    (local.set $t (i32.xor (local.get $t)
      (i32.add (local.get $t)
        (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 7)))
                 (i32.or (local.get $t) (i32.const 61))))))
    (f64.div
      (f64.convert_i32_u (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 14))))
      (f64.const 4294967296)))

  ;; fdlibm's __ieee754_log, as V8 computes Math.log.
  (func $log (param $x f64) (result f64)
    (local $bits i64) (local $hx i32) (local $lx i32) (local $k i32) (local $i i32) (local $j i32)
    (local $f f64) (local $s f64) (local $z f64) (local $R f64) (local $w f64)
    (local $t1 f64) (local $t2 f64) (local $dk f64) (local $hfsq f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $hx (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))
    (local.set $lx (i32.wrap_i64 (local.get $bits)))
    (if (i32.lt_s (local.get $hx) (i32.const 0x00100000))
      (then
        (if (i32.eqz (i32.or (i32.and (local.get $hx) (i32.const 0x7fffffff)) (local.get $lx)))
          (then (return (f64.const -inf))))
        (if (i32.lt_s (local.get $hx) (i32.const 0))
          (then (return (f64.div (f64.sub (local.get $x) (local.get $x)) (f64.const 0)))))
        (local.set $k (i32.const -54))
        (local.set $x (f64.mul (local.get $x) (f64.const 1.80143985094819840000e+16)))
        (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))))
    (if (i32.ge_s (local.get $hx) (i32.const 0x7ff00000))
      (then (return (f64.add (local.get $x) (local.get $x)))))
    (local.set $k (i32.add (local.get $k) (i32.sub (i32.shr_s (local.get $hx) (i32.const 20)) (i32.const 1023))))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x000fffff)))
    (local.set $i (i32.and (i32.add (local.get $hx) (i32.const 0x95f64)) (i32.const 0x100000)))
    ;; SET_HIGH_WORD(x, hx | (i ^ 0x3ff00000))
    (local.set $x (f64.reinterpret_i64
      (i64.or
        (i64.shl (i64.extend_i32_u (i32.or (local.get $hx) (i32.xor (local.get $i) (i32.const 0x3ff00000)))) (i64.const 32))
        (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0xffffffff)))))
    (local.set $k (i32.add (local.get $k) (i32.shr_s (local.get $i) (i32.const 20))))
    (local.set $f (f64.sub (local.get $x) (f64.const 1)))
    (if (i32.lt_s (i32.and (i32.const 0x000fffff) (i32.add (i32.const 2) (local.get $hx))) (i32.const 3))
      (then
        (if (f64.eq (local.get $f) (f64.const 0))
          (then
            (if (i32.eqz (local.get $k)) (then (return (f64.const 0))))
            (local.set $dk (f64.convert_i32_s (local.get $k)))
            (return (f64.add (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
                             (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))))))
        (local.set $R (f64.mul (f64.mul (local.get $f) (local.get $f))
                               (f64.sub (f64.const 0.5) (f64.mul (f64.const 0.33333333333333333) (local.get $f)))))
        (if (i32.eqz (local.get $k)) (then (return (f64.sub (local.get $f) (local.get $R)))))
        (local.set $dk (f64.convert_i32_s (local.get $k)))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
                         (f64.sub (f64.sub (local.get $R) (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10)))
                                  (local.get $f))))))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $dk (f64.convert_i32_s (local.get $k)))
    (local.set $z (f64.mul (local.get $s) (local.get $s)))
    (local.set $i (i32.sub (local.get $hx) (i32.const 0x6147a)))
    (local.set $w (f64.mul (local.get $z) (local.get $z)))
    (local.set $j (i32.sub (i32.const 0x6b851) (local.get $hx)))
    (local.set $t1 (f64.mul (local.get $w)
      (f64.add (f64.const 3.999999999940941908e-01)
        (f64.mul (local.get $w)
          (f64.add (f64.const 2.222219843214978396e-01)
            (f64.mul (local.get $w) (f64.const 1.531383769920937332e-01)))))))
    (local.set $t2 (f64.mul (local.get $z)
      (f64.add (f64.const 6.666666666666735130e-01)
        (f64.mul (local.get $w)
          (f64.add (f64.const 2.857142874366239149e-01)
            (f64.mul (local.get $w)
              (f64.add (f64.const 1.818357216161805012e-01)
                (f64.mul (local.get $w) (f64.const 1.479819860511658591e-01)))))))))
    (local.set $i (i32.or (local.get $i) (local.get $j)))
    (local.set $R (f64.add (local.get $t2) (local.get $t1)))
    (if (i32.gt_s (local.get $i) (i32.const 0))
      (then
        (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
        (if (i32.eqz (local.get $k))
          (then (return (f64.sub (local.get $f)
            (f64.sub (local.get $hfsq) (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $R))))))))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
          (f64.sub
            (f64.sub (local.get $hfsq)
              (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $R)))
                       (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))))
            (local.get $f))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (local.get $f) (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $R)))))))
    (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
      (f64.sub
        (f64.sub (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $R)))
                 (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10)))
        (local.get $f))))

  (func (export "log") (param $x f64) (result f64) (call $log (local.get $x)))

  ;; Sampler j (0: every member; then one per group): members at memberBase + 4*off, their
  ;; cumulative weights at cumBase + 8*off; the table entry at tabBase + 8*j holds off and len.
  (global $members (mut i32) (i32.const 0))
  (global $cums (mut i32) (i32.const 0))
  (global $table (mut i32) (i32.const 0))
  (global $totals (mut i32) (i32.const 0))
  (global $draw (mut i32) (i32.const 0))

  ;; Re-weighs sampler j with the path's draws; its total.
  (func $reweigh (param $j i32) (result f64)
    (local $off i32) (local $len i32) (local $i i32) (local $s f64)
    (local.set $off (i32.load (i32.add (global.get $table) (i32.shl (local.get $j) (i32.const 3)))))
    (local.set $len (i32.load offset=4 (i32.add (global.get $table) (i32.shl (local.get $j) (i32.const 3)))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $len)))
        (local.set $s (f64.add (local.get $s)
          (f64.load (i32.add (global.get $draw)
            (i32.shl (i32.load (i32.add (global.get $members) (i32.shl (i32.add (local.get $off) (local.get $i)) (i32.const 2))))
                     (i32.const 3))))))
        (f64.store (i32.add (global.get $cums) (i32.shl (i32.add (local.get $off) (local.get $i)) (i32.const 3))) (local.get $s))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (f64.store (i32.add (global.get $totals) (i32.shl (local.get $j) (i32.const 3))) (local.get $s))
    (local.get $s))

  ;; The pool index sampler j picks for uniform u.
  (func $pick (param $j i32) (param $u f64) (result i32)
    (local $off i32) (local $lo i32) (local $hi i32) (local $mid i32) (local $target f64)
    (local.set $off (i32.load (i32.add (global.get $table) (i32.shl (local.get $j) (i32.const 3)))))
    (local.set $hi (i32.sub (i32.load offset=4 (i32.add (global.get $table) (i32.shl (local.get $j) (i32.const 3)))) (i32.const 1)))
    (local.set $target (f64.mul (local.get $u) (f64.load (i32.add (global.get $totals) (i32.shl (local.get $j) (i32.const 3))))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $lo) (local.get $hi)))
        (local.set $mid (i32.shr_s (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)))
        (if (f64.gt (f64.load (i32.add (global.get $cums) (i32.shl (i32.add (local.get $off) (local.get $mid)) (i32.const 3))))
                    (local.get $target))
          (then (local.set $hi (local.get $mid)))
          (else (local.set $lo (i32.add (local.get $mid) (i32.const 1)))))
        (br $next)))
    (i32.load (i32.add (global.get $members) (i32.shl (i32.add (local.get $off) (local.get $lo)) (i32.const 2)))))

;; Where the arrays are, for the per-path functions below (set by `simulate`).
  (global $weights (mut i32) (i32.const 0))
  (global $dayTotals (mut i32) (i32.const 0))
  (global $ages (mut i32) (i32.const 0))
  (global $firstCost (mut i32) (i32.const 0))
  (global $chosen (mut i32) (i32.const 0))
  (global $crossAt (mut i32) (i32.const 0))
  (global $crossDay (mut i32) (i32.const 0))
  (global $crossScale (mut i32) (i32.const 0))
  (global $crossBefore (mut i32) (i32.const 0))
  (global $caps (mut i32) (i32.const 0))
  ;; Each pool day's growth on each remaining day, at growth + 8 * (s * days + i) (see growthTable).
  (global $growth (mut i32) (i32.const 0))
  (global $days (mut i32) (i32.const 0))

  ;; Starts the generator's sequence.
  (func (export "seed") (param $seed i32) (global.set $state (local.get $seed)))

  ;; Bayesian bootstrap: each day's weight times an exponential draw.
  (func $drawWeights (param $n i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (f64.store (i32.add (global.get $draw) (i32.shl (local.get $i) (i32.const 3)))
          (f64.mul (f64.load (i32.add (global.get $weights) (i32.shl (local.get $i) (i32.const 3))))
                   (f64.neg (call $log (f64.sub (f64.const 1) (call $rng))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Re-weighs every sampler; each remaining day then draws from its group's sampler when that
  ;; has weight, else from every day's (0). Whether every day's sampler has weight.
  (func $choose (param $S i32) (param $samplers i32) (param $pSG i32) (result i32)
    (local $j i32) (local $s i32) (local $anyAll i32)
    (local.set $anyAll (f64.gt (call $reweigh (i32.const 0)) (f64.const 0)))
    (local.set $j (i32.const 1))
    (block $weighed
      (loop $weigh
        (br_if $weighed (i32.ge_s (local.get $j) (local.get $samplers)))
        (drop (call $reweigh (local.get $j)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $weigh)))
    (block $chosen
      (loop $next
        (br_if $chosen (i32.ge_s (local.get $s) (local.get $S)))
        (local.set $j (i32.load (i32.add (local.get $pSG) (i32.shl (local.get $s) (i32.const 2)))))
        (if (i32.eqz (i32.and (i32.gt_s (local.get $j) (i32.const 0))
                              (f64.gt (f64.load (i32.add (global.get $totals) (i32.shl (local.get $j) (i32.const 3))))
                                      (f64.const 0))))
          (then (local.set $j (i32.const 0))))
        (i32.store (i32.add (global.get $chosen) (i32.shl (local.get $s) (i32.const 2))) (local.get $j))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $next)))
    (local.get $anyAll))

  ;; One path's remaining days from `spent`: its end; the first day whose spend reaches the
  ;; credit is kept at index p of the crossing arrays (day -1: none).
  (func $walkDays (param $p i32) (param $S i32) (param $scale f64) (param $grows i32) (param $spent f64) (param $credit f64)
    (result f64)
    (local $s i32) (local $i i32) (local $crossed i32) (local $c f64) (local $k f64) (local $tf f64) (local $cost f64)
    (local $base f64) (local $cap f64)
    (local.set $c (local.get $spent))
    (i32.store (i32.add (global.get $crossAt) (i32.shl (local.get $p) (i32.const 2))) (i32.const -1))
    (block $done
      (loop $day
        (br_if $done (i32.ge_s (local.get $s) (local.get $S)))
        (local.set $i (call $pick
          (i32.load (i32.add (global.get $chosen) (i32.shl (local.get $s) (i32.const 2))))
          (call $rng)))
        ;; trendFactor(trend, ages[i], s), from the table
        (if (local.get $grows)
          (then (local.set $tf (f64.load (i32.add (global.get $growth)
            (i32.shl (i32.add (i32.mul (local.get $s) (global.get $days)) (local.get $i)) (i32.const 3))))))
          (else (local.set $tf (f64.const 1))))
        (local.set $k (f64.mul (local.get $scale) (local.get $tf)))
        (local.set $base
          (f64.load (i32.add (select (global.get $firstCost) (global.get $dayTotals) (i32.eqz (local.get $s)))
                             (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $cost (f64.mul (local.get $base) (local.get $k)))
        ;; No day above its cap: the day is scaled to it.
        (local.set $cap (f64.load (i32.add (global.get $caps) (i32.shl (local.get $s) (i32.const 3)))))
        (if (f64.gt (local.get $cost) (local.get $cap))
          (then
            (local.set $cost (local.get $cap))
            (local.set $k (f64.div (local.get $cost) (local.get $base)))))
        (if (i32.and (i32.eqz (local.get $crossed))
              (i32.and (f64.gt (local.get $cost) (f64.const 0))
                       (f64.ge (f64.add (local.get $c) (local.get $cost)) (local.get $credit))))
          (then
            (local.set $crossed (i32.const 1))
            (i32.store (i32.add (global.get $crossAt) (i32.shl (local.get $p) (i32.const 2))) (local.get $s))
            (i32.store (i32.add (global.get $crossDay) (i32.shl (local.get $p) (i32.const 2))) (local.get $i))
            (f64.store (i32.add (global.get $crossScale) (i32.shl (local.get $p) (i32.const 3))) (local.get $k))
            (f64.store (i32.add (global.get $crossBefore) (i32.shl (local.get $p) (i32.const 3))) (local.get $c))))
        (local.set $c (f64.add (local.get $c) (local.get $cost)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $day)))
    (local.get $c))

  ;; Every path, from the generator's current state (see `seed`). A path's steps are small
  ;; functions called anew per path, so V8 can swap in their optimised code between paths.
  (func (export "simulate")
    (param $paths i32) (param $n i32) (param $S i32) (param $samplers i32)
    (param $sigma f64) (param $grows i32) (param $spent f64) (param $credit f64)
    (param $pW i32) (param $pT i32) (param $pA i32) (param $pF i32) (param $pD i32)
    (param $pM i32) (param $pCum i32) (param $pTab i32) (param $pTot i32)
    (param $pSG i32) (param $pCh i32)
    (param $pEnds i32) (param $pCS i32) (param $pCI i32) (param $pCK i32) (param $pCC i32) (param $pCap i32)
    (param $pG i32)
    (local $p i32) (local $anyAll i32) (local $u f64) (local $v f64) (local $scale f64)
    (global.set $members (local.get $pM))
    (global.set $cums (local.get $pCum))
    (global.set $table (local.get $pTab))
    (global.set $totals (local.get $pTot))
    (global.set $draw (local.get $pD))
    (global.set $weights (local.get $pW))
    (global.set $dayTotals (local.get $pT))
    (global.set $ages (local.get $pA))
    (global.set $firstCost (local.get $pF))
    (global.set $chosen (local.get $pCh))
    (global.set $crossAt (local.get $pCS))
    (global.set $crossDay (local.get $pCI))
    (global.set $crossScale (local.get $pCK))
    (global.set $crossBefore (local.get $pCC))
    (global.set $caps (local.get $pCap))
    (global.set $growth (local.get $pG))
    (global.set $days (local.get $n))
    (block $pathsDone
      (loop $path
        (br_if $pathsDone (i32.ge_s (local.get $p) (local.get $paths)))
        (call $drawWeights (local.get $n))
        (local.set $anyAll (call $choose (local.get $S) (local.get $samplers) (local.get $pSG)))
        ;; standardNormal (Box-Muller), then the path's level shift.
        (local.set $u (f64.sub (f64.const 1) (call $rng)))
        (local.set $v (call $rng))
        (local.set $scale (call $exp (f64.mul (local.get $sigma)
          (f64.mul (f64.sqrt (f64.mul (f64.const -2) (call $log (local.get $u))))
                   (call $cos (f64.mul (f64.const 6.283185307179586) (local.get $v)))))))
        (f64.store (i32.add (local.get $pEnds) (i32.shl (local.get $p) (i32.const 3)))
          (if (result f64) (local.get $anyAll)
            (then (call $walkDays (local.get $p) (local.get $S) (local.get $scale) (local.get $grows)
                                  (local.get $spent) (local.get $credit)))
            (else
              (i32.store (i32.add (local.get $pCS) (i32.shl (local.get $p) (i32.const 2))) (i32.const -1))
              (local.get $spent))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $path))))
)
