;; Hashes the whole linear memory of the module registered as "fuzz" (its current size, read
;; 8 bytes at a time), so both engines' memories are compared through one i64.
(module
  (import "fuzz" "memory" (memory 0))
  (func (export "hash") (result i64)
    (local $at i32)
    (local $end i32)
    (local $hash i64)
    (local.set $end (i32.shl (memory.size) (i32.const 16)))
    (local.set $hash (i64.const 0xcbf29ce484222325))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $hash
          (i64.mul
            (i64.xor (local.get $hash) (i64.load (local.get $at)))
            (i64.const 0x100000001b3)))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (br $next)))
    (i64.xor (local.get $hash) (i64.extend_i32_u (local.get $end)))))
