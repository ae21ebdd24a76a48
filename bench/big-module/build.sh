#!/bin/sh
# Builds bench/big-module's measurement input: one WebAssembly module of about 1.5 MB and over
# 1,500 functions (QuickJS, Lua, littlefs and cJSON linked together), for timing `bento compile`
# on a large module (issue 17). Needs no network, only the two source trees:
#
#   bench/big-module/build.sh QUICKJS_DIR LUA_DIR OUT_DIR
#
# measured with QuickJS at github.com/bellard/quickjs d73189d and Lua at github.com/lua/lua 53b41d0c.
# The result is OUT_DIR/big.wasm; `--edit` as a fourth argument changes one function (lua's
# lua_gettop checks its argument), for measuring a one-function rebuild.
set -eu
qjs=$(realpath "$1"); lua=$(realpath "$2"); out=$(realpath -m "$3"); edit=${4:-}
here=$(dirname "$(realpath "$0")")
repo=$(realpath "$here/../..")
# -fmacro-prefix-map: assert()'s file names are the same wherever OUT_DIR is, so the data (and
# the addresses compiled into the code) of a build with --edit moves only if the edit moves it.
cc="clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -fmacro-prefix-map=$out/="
mkdir -p "$out/qjs" "$out/lua" "$out/stub"

# QuickJS: no threads (Atomics) or stack probing under WASI; dtoa.c includes setjmp.h unused.
for f in quickjs libregexp libunicode cutils dtoa; do
  sed -e 's/^#if defined(__EMSCRIPTEN__)$/#if defined(__EMSCRIPTEN__) || defined(__wasi__)/' \
      -e 's/^#if !defined(__EMSCRIPTEN__)$/#if !defined(__EMSCRIPTEN__) \&\& !defined(__wasi__)/' \
      -e 's/^#include <setjmp.h>$//' "$qjs/$f.c" > "$out/qjs/$f.c"
done
cat > "$out/qjs/main.c" <<'C'
#include "quickjs.h"
__attribute__((export_name("run_js")))
int run_js(const char *src, int len) {
  JSRuntime *rt = JS_NewRuntime();
  JSContext *ctx = JS_NewContext(rt);
  JSValue v = JS_Eval(ctx, src, len, "<input>", 0);
  int r = JS_IsException(v) ? -1 : 0;
  JS_FreeValue(ctx, v);
  JS_FreeContext(ctx);
  JS_FreeRuntime(rt);
  return r;
}
C
for f in quickjs libregexp libunicode cutils dtoa main; do
  $cc -I"$qjs" -D_GNU_SOURCE -DCONFIG_VERSION='"big"' -c "$out/qjs/$f.c" -o "$out/qjs/$f.o" &
done
wait

# Lua: errors abort instead of longjmp (WASI has no setjmp); no tmpnam, tmpfile or system.
echo "typedef int jmp_buf[1];" > "$out/stub/setjmp.h"
cp "$lua"/*.c "$lua"/*.h "$out/lua/"
if [ "$edit" = "--edit" ]; then
  sed -i 's/^\(LUA_API int lua_gettop (lua_State \*L) {\)$/\1 if (L == NULL) return -1;/' "$out/lua/lapi.c"
  grep -q 'if (L == NULL) return -1;' "$out/lua/lapi.c"
fi
cat > "$out/lua/main.c" <<'C'
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include <stdio.h>
/* What WASI's libc lacks: no temporary files, no shell. */
FILE *tmpfile(void) { return 0; }
int system(const char *command) { (void)command; return -1; }
/* WASI calls bento does not provide (files by path, fd flags): ENOSYS, without importing them. */
#include <stdint.h>
#define ENOSYS_STUB(name, ...) int32_t __imported_wasi_snapshot_preview1_##name(__VA_ARGS__) { return 52; }
ENOSYS_STUB(fd_fdstat_set_flags, int32_t fd, int32_t flags)
ENOSYS_STUB(fd_renumber, int32_t fd, int32_t to)
ENOSYS_STUB(path_open, int32_t fd, int32_t dirflags, int32_t path, int32_t len, int32_t oflags, int64_t base, int64_t inheriting, int32_t fdflags, int32_t opened)
ENOSYS_STUB(path_remove_directory, int32_t fd, int32_t path, int32_t len)
ENOSYS_STUB(path_rename, int32_t fd, int32_t path, int32_t len, int32_t to_fd, int32_t to, int32_t to_len)
ENOSYS_STUB(path_unlink_file, int32_t fd, int32_t path, int32_t len)
__attribute__((export_name("run_lua")))
int run_lua(const char *src) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  int r = luaL_dostring(L, src);
  lua_close(L);
  return r;
}
C
for f in $(cd "$out/lua" && ls *.c | grep -v -e '^lua\.c$' -e '^onelua\.c$' -e '^ltests\.c$'); do
  $cc -I"$out/stub" -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -DLUA_USE_C89 -DLUA_TMPNAMBUFSIZE=32 '-Dlua_tmpnam(b,e)=(e=1)' \
    '-DLUAI_THROW(L,c)=abort()' '-DLUAI_TRY(L,c,f,ud)=((*f)(L, ud))' -c "$out/lua/$f" -o "$out/lua/${f%.c}.o"
done

# littlefs and cJSON, as bento vendors them.
$cc -DLFS_NO_MALLOC -DLFS_NO_DEBUG -DLFS_NO_WARN -DLFS_NO_ERROR -DLFS_NO_ASSERT -c "$repo/third-party/littlefs/lfs.c" -o "$out/lfs.o"
$cc -c "$repo/third-party/littlefs/lfs_util.c" -o "$out/lfs_util.o"
$cc -c "$repo/third-party/cjson/cJSON.c" -o "$out/cJSON.o"

$cc -mexec-model=reactor -Wl,--export=lfs_mount,--export=lfs_format,--export=lfs_file_read,--export=lfs_file_write \
  -Wl,--export=cJSON_Parse,--export=cJSON_Print,--export=cJSON_Delete \
  -o "$out/big.wasm" "$out"/qjs/*.o "$out"/lua/*.o "$out/lfs.o" "$out/lfs_util.o" "$out/cJSON.o" -lwasi-emulated-signal -lwasi-emulated-process-clocks
ls -l "$out/big.wasm"
