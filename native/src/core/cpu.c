/* CPU feature detection: CPUID for what the core implements, XGETBV for what the OS saves. */
#include "core/internal.h"
#include <cpuid.h>
#include <string.h>
#include <unistd.h>

static uint64_t xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

static int64_t cache_bytes(int name) {
#ifdef _SC_LEVEL1_DCACHE_SIZE
    long v = sysconf(name);
    return v > 0 ? (int64_t)v : 0;
#else
    (void)name;
    return 0;
#endif
}

static void detect(hpc_cpu_features* f) {
    memset(f, 0, sizeof *f);
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    int ymm_ok = (xcr0 & 0x6) == 0x6;             /* XMM + YMM state */
    int zmm_ok = ymm_ok && (xcr0 & 0xE0) == 0xE0; /* opmask + ZMM_Hi256 + Hi16_ZMM */
    unsigned b7 = 0, c7 = 0, d7 = 0, a7 = 0;
    if (__get_cpuid_max(0, NULL) >= 7) __cpuid_count(7, 0, a7, b7, c7, d7);
    f->fma = avx && ymm_ok && fma;
    f->avx2 = avx && ymm_ok && ((b7 >> 5) & 1);
    f->avx512f = zmm_ok && ((b7 >> 16) & 1);
    f->avx512dq = zmm_ok && ((b7 >> 17) & 1);
    f->avx512bw = zmm_ok && ((b7 >> 30) & 1);
    f->avx512vl = zmm_ok && ((b7 >> 31) & 1);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    f->logical_cores = n > 0 ? (int32_t)n : 1;
#ifdef _SC_LEVEL1_DCACHE_SIZE
    f->l1d_bytes = cache_bytes(_SC_LEVEL1_DCACHE_SIZE);
    f->l2_bytes = cache_bytes(_SC_LEVEL2_CACHE_SIZE);
    f->l3_bytes = cache_bytes(_SC_LEVEL3_CACHE_SIZE);
#endif
}

static hpc_cpu_features cached;
static int cached_ready;

static const hpc_cpu_features* features(void) {
    /* Benign race: every thread computes the same value. */
    if (!__atomic_load_n(&cached_ready, __ATOMIC_ACQUIRE)) {
        hpc_cpu_features f;
        detect(&f);
        cached = f;
        __atomic_store_n(&cached_ready, 1, __ATOMIC_RELEASE);
    }
    return &cached;
}

HPC_API hpc_status hpc_get_cpu_features(hpc_cpu_features* out) {
    if (!out) return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT, "hpc_get_cpu_features: out is null");
    *out = *features();
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_get_cpu_brand(char* buffer, int64_t capacity) {
    if (!buffer) return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT, "hpc_get_cpu_brand: buffer is null");
    if (capacity <= 0)
        return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT, "hpc_get_cpu_brand: capacity = %lld must be positive",
                        (long long)capacity);
    char brand[49] = {0};
    unsigned regs[12] = {0};
    if (__get_cpuid_max(0x80000000, NULL) >= 0x80000004) {
        for (unsigned i = 0; i < 3; i++)
            __get_cpuid(0x80000002 + i, &regs[4 * i], &regs[4 * i + 1], &regs[4 * i + 2], &regs[4 * i + 3]);
        memcpy(brand, regs, 48);
    } else {
        strcpy(brand, "unknown x86-64");
    }
    const char* s = brand;
    while (*s == ' ') s++;
    size_t len = strlen(s);
    if ((int64_t)len >= capacity) len = (size_t)capacity - 1;
    memcpy(buffer, s, len);
    buffer[len] = '\0';
    return HPC_STATUS_OK;
}

static int native_supported(hpc_isa isa) {
    const hpc_cpu_features* f = features();
    switch (isa) {
    case HPC_ISA_SCALAR: return 1;
    case HPC_ISA_AVX2: return f->avx2 && f->fma;
    case HPC_ISA_AVX512: return f->avx512f && f->avx512bw && f->avx512dq && f->avx512vl && f->fma && f->avx2;
#ifdef HPC_WITH_OPENBLAS
    case HPC_ISA_OPENBLAS: return 1;
#endif
    default: return 0;
    }
}

hpc_isa hpc_best_native_isa(void) {
    if (native_supported(HPC_ISA_AVX512)) return HPC_ISA_AVX512;
    if (native_supported(HPC_ISA_AVX2)) return HPC_ISA_AVX2;
    return HPC_ISA_SCALAR;
}

HPC_API hpc_status hpc_isa_supported(hpc_isa isa, int32_t* out) {
    if (!out) return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT, "hpc_isa_supported: out is null");
    *out = isa == HPC_ISA_AUTO ? 1 : native_supported(isa);
    return HPC_STATUS_OK;
}

HPC_API const char* hpc_isa_name(hpc_isa isa) {
    switch (isa) {
    case HPC_ISA_AUTO: return "auto";
    case HPC_ISA_SCALAR: return "scalar";
    case HPC_ISA_AVX2: return "avx2";
    case HPC_ISA_AVX512: return "avx512";
    case HPC_ISA_OPENBLAS: return "openblas";
    }
    return "unknown";
}
