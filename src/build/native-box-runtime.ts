// What a native box may call without declaring it: functions of newlib-nano and libgcc that keep
// no state (no globals, no errno, no locale, no heap), so they run inside the box on its own
// stack and touch only what they are given. Every other undefined symbol of a box is refused
// (src/build/native-box-check.ts). test/build/native-box-runtime.test.ts checks, in the
// archives the boards link, that each of these, and everything it pulls in, has no data and
// calls nothing outside this list.

/** The compiler's helpers as clang-14 emits them for Thumb (the ARM EABI run-time ABI), and libgcc's generic ones. */
const compilerHelpers = [
  // integer division, 64-bit shifts, multiply and compare
  '__aeabi_idiv', '__aeabi_uidiv', '__aeabi_idivmod', '__aeabi_uidivmod', '__aeabi_ldivmod', '__aeabi_uldivmod',
  '__aeabi_llsl', '__aeabi_llsr', '__aeabi_lasr', '__aeabi_lmul', '__aeabi_lcmp', '__aeabi_ulcmp',
  '__divsi3', '__udivsi3', '__modsi3', '__umodsi3', '__divdi3', '__udivdi3', '__moddi3', '__umoddi3', '__divmoddi4', '__udivmoddi4',
  '__muldi3', '__ashldi3', '__ashrdi3', '__lshrdi3', '__negdi2', '__cmpdi2', '__ucmpdi2',
  // bit counting
  '__clzsi2', '__clzdi2', '__ctzsi2', '__ctzdi2', '__ffssi2', '__ffsdi2', '__clrsbsi2', '__clrsbdi2',
  '__popcountsi2', '__popcountdi2', '__paritysi2', '__paritydi2', '__bswapsi2', '__bswapdi2',
  // single precision (and what the FPU lacks: conversions from and to 64-bit integers)
  '__aeabi_fadd', '__aeabi_fsub', '__aeabi_frsub', '__aeabi_fmul', '__aeabi_fdiv', '__aeabi_fneg',
  '__aeabi_fcmpeq', '__aeabi_fcmplt', '__aeabi_fcmple', '__aeabi_fcmpge', '__aeabi_fcmpgt', '__aeabi_fcmpun',
  '__aeabi_cfcmpeq', '__aeabi_cfcmple', '__aeabi_cfrcmple',
  '__aeabi_f2iz', '__aeabi_f2uiz', '__aeabi_f2lz', '__aeabi_f2ulz', '__aeabi_i2f', '__aeabi_ui2f', '__aeabi_l2f', '__aeabi_ul2f',
  // double precision (in software on the M4's single-precision FPU)
  '__aeabi_dadd', '__aeabi_dsub', '__aeabi_drsub', '__aeabi_dmul', '__aeabi_ddiv', '__aeabi_dneg',
  '__aeabi_dcmpeq', '__aeabi_dcmplt', '__aeabi_dcmple', '__aeabi_dcmpge', '__aeabi_dcmpgt', '__aeabi_dcmpun',
  '__aeabi_cdcmpeq', '__aeabi_cdcmple', '__aeabi_cdrcmple',
  '__aeabi_d2iz', '__aeabi_d2uiz', '__aeabi_d2lz', '__aeabi_d2ulz', '__aeabi_i2d', '__aeabi_ui2d', '__aeabi_l2d', '__aeabi_ul2d',
  '__aeabi_f2d', '__aeabi_d2f',
  // libgcc's generic names of the same
  '__addsf3', '__subsf3', '__mulsf3', '__divsf3', '__negsf2', '__adddf3', '__subdf3', '__muldf3', '__divdf3', '__negdf2',
  '__extendsfdf2', '__truncdfsf2',
  '__fixsfsi', '__fixunssfsi', '__fixsfdi', '__fixunssfdi', '__fixdfsi', '__fixunsdfsi', '__fixdfdi', '__fixunsdfdi',
  '__floatsisf', '__floatunsisf', '__floatdisf', '__floatundisf', '__floatsidf', '__floatunsidf', '__floatdidf', '__floatundidf',
  '__eqsf2', '__nesf2', '__ltsf2', '__lesf2', '__gtsf2', '__gesf2', '__unordsf2', '__cmpsf2',
  '__eqdf2', '__nedf2', '__ltdf2', '__ledf2', '__gtdf2', '__gedf2', '__unorddf2', '__cmpdf2',
  // half precision (_Float16, __fp16)
  '__gnu_f2h_ieee', '__gnu_h2f_ieee', '__gnu_d2h_ieee',
  // __builtin_powi, complex multiply and divide
  '__powisf2', '__powidf2', '__mulsc3', '__muldc3', '__divsc3', '__divdc3',
  // what the division helpers call on a division by zero (libgcc's return 0)
  '__aeabi_idiv0', '__aeabi_ldiv0',
] as const;

/** newlib's string.h functions that read and write only their arguments (no locale, no heap). */
const stringFunctions = [
  'memcpy', 'memmove', 'memset', 'memcmp', 'memchr', 'memrchr', 'memccpy', 'mempcpy',
  '__aeabi_memcpy', '__aeabi_memcpy4', '__aeabi_memcpy8', '__aeabi_memmove', '__aeabi_memmove4', '__aeabi_memmove8',
  '__aeabi_memset', '__aeabi_memset4', '__aeabi_memset8', '__aeabi_memclr', '__aeabi_memclr4', '__aeabi_memclr8',
  'strlen', 'strnlen', 'strcmp', 'strncmp', 'strchr', 'strrchr', 'strchrnul', 'strcpy', 'strncpy', 'stpcpy', 'stpncpy',
  'strcat', 'strncat', 'strlcpy', 'strlcat', 'strstr', 'strspn', 'strcspn', 'strpbrk', 'strtok_r',
  'bcmp', 'bcopy', 'bzero',
] as const;

/** The pure ones of stdlib.h. */
const arithmetic = ['abs', 'labs', 'llabs'] as const;

export const pureRuntimeSymbols: ReadonlySet<string> = new Set<string>([...compilerHelpers, ...stringFunctions, ...arithmetic]);

/**
 * C library functions and objects that keep state in host RAM (the stdio buffers, the heap,
 * errno, the locale, the reentrancy structure) or reach the system: only for the hint of the
 * error a box gets when it calls one.
 */
export const statefulLibcSymbols: ReadonlySet<string> = new Set<string>([
  // snprintf, vsnprintf, sprintf, vsprintf, __assert_func and abort are bento's own, stateless, in every
  // native box (runtime-c/box-libc); printf, puts, putchar and malloc come with its `libc` services.
  'printf', 'fprintf', 'vprintf', 'vfprintf', 'iprintf', 'siprintf', 'sniprintf',
  'puts', 'putchar', 'fputs', 'fputc', 'putc', 'fwrite', 'fflush', 'fopen', 'fclose', 'fread', 'fgets', 'getchar', 'scanf', 'sscanf', 'perror',
  'malloc', 'calloc', 'realloc', 'free', 'aligned_alloc', 'memalign', 'posix_memalign', 'strdup', 'strndup',
  'errno', '__errno', '_impure_ptr', '_impure_data', '_global_impure_ptr', 'exit', '_exit', 'atexit',
  'rand', 'srand', 'random', 'srandom', 'strtok', 'strerror', 'strcoll', 'strxfrm', 'strcasecmp', 'strncasecmp', 'setlocale', 'localeconv',
  'atoi', 'atol', 'atoll', 'atof', 'strtol', 'strtoul', 'strtoll', 'strtoull', 'strtof', 'strtod',
  'time', 'clock', 'gmtime', 'localtime', 'mktime', 'asctime', 'ctime', 'signal', 'raise', 'getenv', 'system',
  // math.h functions that set errno
  'sqrt', 'sqrtf', 'exp', 'expf', 'exp2', 'exp2f', 'log', 'logf', 'log2', 'log2f', 'log10', 'log10f', 'pow', 'powf',
  'fmod', 'fmodf', 'asin', 'asinf', 'acos', 'acosf', 'atan2', 'atan2f', 'hypot', 'hypotf', 'sinh', 'sinhf', 'cosh', 'coshf',
]);
