;; The "fuzzing-support" module that binaryen's fuzz modules import: each log-* call folds a type
;; tag and the value's bits into a running hash, which "take" returns and resets. Both engines
;; run this same module, so the logs are compared through one i64 per export call. NaNs fold as
;; one value: their bits are the engines' choice.
(module
  (global $hash (mut i64) (i64.const 0xcbf29ce484222325))
  (func $fold (param $v i64)
    (global.set $hash
      (i64.mul
        (i64.xor (global.get $hash) (local.get $v))
        (i64.const 0x100000001b3))))
  (func (export "log-i32") (param $x i32)
    (call $fold (i64.const 1))
    (call $fold (i64.extend_i32_u (local.get $x))))
  (func (export "log-i64") (param $x i64)
    (call $fold (i64.const 2))
    (call $fold (local.get $x)))
  (func (export "log-f32") (param $x f32)
    (call $fold (i64.const 3))
    (call $fold
      (if (result i64) (f32.eq (local.get $x) (local.get $x))
        (then (i64.extend_i32_u (i32.reinterpret_f32 (local.get $x))))
        (else (i64.const 0x7fc00000)))))
  (func (export "log-f64") (param $x f64)
    (call $fold (i64.const 4))
    (call $fold
      (if (result i64) (f64.eq (local.get $x) (local.get $x))
        (then (i64.reinterpret_f64 (local.get $x)))
        (else (i64.const 0x7ff8000000000000)))))
  (func (export "take") (result i64)
    (global.get $hash)
    (global.set $hash (i64.const 0xcbf29ce484222325))))
