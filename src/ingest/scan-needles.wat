;; The scan's two byte searches in one pass (ingest/scan-needles.ts): every `"usage"` and every
;; `"sdk"` starting in [p, end), 16 bytes at a time. A byte position is a candidate when it holds a
;; quote, the next byte `u` and the byte 6 on a quote, or the next byte `s` and the byte 4 on a
;; quote; each candidate is then compared whole. Hits are written from `out` as i32, in order:
;; position * 2 for "usage", position * 2 + 1 for "sdk". At most `cap` are written; the count is
;; returned (cap: there may be more). Bytes up to end + 21 are read, never used for a hit: the
;; caller keeps that much memory after its data.
(module
  (memory (export "memory") 1)
  (func (export "find") (param $p i32) (param $end i32) (param $out i32) (param $cap i32) (result i32)
    (local $n i32) (local $m i32) (local $q i32) (local $w i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $m
          (i8x16.bitmask
            (v128.and
              (i8x16.eq (v128.load (local.get $p)) (i8x16.splat (i32.const 34)))
              (v128.or
                (v128.and
                  (i8x16.eq (v128.load offset=1 (local.get $p)) (i8x16.splat (i32.const 117)))
                  (i8x16.eq (v128.load offset=6 (local.get $p)) (i8x16.splat (i32.const 34))))
                (v128.and
                  (i8x16.eq (v128.load offset=1 (local.get $p)) (i8x16.splat (i32.const 115)))
                  (i8x16.eq (v128.load offset=4 (local.get $p)) (i8x16.splat (i32.const 34))))))))
        (if (local.get $m)
          (then
            (loop $bits
              (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $m))))
              (if (i32.lt_u (local.get $q) (local.get $end))
                (then
                  (local.set $w (i64.load (local.get $q)))
                  ;; "usage" is 22 75 73 61 67 65 22: the low 7 bytes of a little-endian load.
                  (if (i32.and
                        (i64.eq (i64.and (local.get $w) (i64.const 0x00ffffffffffffff)) (i64.const 0x0022656761737522))
                        (i32.le_u (i32.add (local.get $q) (i32.const 7)) (local.get $end)))
                    (then
                      (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2)))
                        (i32.shl (local.get $q) (i32.const 1)))
                      (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  ;; "sdk" is 22 73 64 6b 22: the low 5 bytes.
                  (if (i32.and
                        (i64.eq (i64.and (local.get $w) (i64.const 0xffffffffff)) (i64.const 0x226b647322))
                        (i32.le_u (i32.add (local.get $q) (i32.const 5)) (local.get $end)))
                    (then
                      (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2)))
                        (i32.or (i32.shl (local.get $q) (i32.const 1)) (i32.const 1)))
                      (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (if (i32.ge_u (local.get $n) (local.get $cap)) (then (return (local.get $n))))))
              (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
              (br_if $bits (local.get $m)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (local.get $n)))
