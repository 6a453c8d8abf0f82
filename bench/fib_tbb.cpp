// oneTBB reference for the fib benchmark: one tbb::task_group task per
// recursive call, no cutoff, the same shape as fib.pel.in.
// Usage: fib_tbb N [THREADS]   -- prints fib(N).
// THREADS (or, without it, the TBB_NUM_THREADS environment variable) caps
// the worker count through tbb::global_control; default: all CPUs.
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_group.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <memory>

static int64_t fib(int64_t n)
{
    if (n < 2)
        return n;
    int64_t a, b;
    tbb::task_group g;
    g.run([&] { a = fib(n - 1); });
    g.run([&] { b = fib(n - 2); });
    g.wait();
    return a + b;
}

static long parse(const char *s, long lo, long hi, const char *what)
{
    char *end;
    errno = 0;
    long v = std::strtol(s, &end, 10);
    if (errno || *end || *s == '\0' || v < lo || v > hi) {
        std::fprintf(stderr, "fib_tbb: %s must be an integer in %ld..%ld\n",
                     what, lo, hi);
        std::exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: %s N [THREADS]\n", argv[0]);
        return 2;
    }
    long n = parse(argv[1], 0, 92, "N");
    const char *threads = argc == 3 ? argv[2] : std::getenv("TBB_NUM_THREADS");
    // global_control only limits while it is alive: keep it for all of main.
    std::unique_ptr<tbb::global_control> limit;
    if (threads && *threads)
        limit = std::make_unique<tbb::global_control>(
            tbb::global_control::max_allowed_parallelism,
            static_cast<size_t>(parse(threads, 1, 4096, "THREADS")));
    std::printf("%" PRId64 "\n", fib(n));
    return 0;
}
