/* rt_stats.c — PEL_STATS=1 counters and the PEL_TRACE Chrome trace.
 *
 * Counters live in each worker's private state and are only summed after
 * the workers have been joined, so counting costs one increment on a line
 * the owner already has. */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRACE_MAX_EVENTS ((size_t)1 << 20) /* per worker; later ones dropped */

RtTotals rt_last_totals;
int64_t rt_start_ns;

void rt_totals_collect(void) {
    RtTotals t = {0};
    for (int i = 0; i < rt_nworkers; i++) {
        RtWorker *w = rt_workers[i];
        t.spawned += w->pub.spawned;
        t.stolen += w->st.stolen;
        t.answered += w->st.answered;
        t.declined += w->st.declined;
        t.sleeps += w->st.sleeps;
    }
    rt_last_totals = t;
}

static void line(const char *who, int64_t spawned, const RtStats *s) {
    char buf[256];
    int n = snprintf(buf, sizeof buf,
                     "pel: stats: %6s %12" PRId64 " %9" PRId64 " %9" PRId64 " %9" PRId64
                     " %7" PRId64 " %10.1f %12" PRId64 "\n",
                     who, spawned, s->stolen, s->answered, s->declined, s->sleeps,
                     (double)s->busy_ns / 1e6, s->allocs);
    rt_write_all(2, buf, (size_t)n);
}

void rt_stats_report(void) {
    char hdr[160];
    int n = snprintf(hdr, sizeof hdr,
                     "pel: stats: %d workers, %.1f ms\n"
                     "pel: stats: worker      spawned    stolen  answered  declined  sleeps"
                     "    busy ms       allocs\n",
                     rt_nworkers, (double)(rt_now_ns() - rt_start_ns) / 1e6);
    rt_write_all(2, hdr, (size_t)n);
    RtStats tot = {0};
    int64_t spawned = 0;
    for (int i = 0; i < rt_nworkers; i++) {
        RtWorker *w = rt_workers[i];
        char id[12];
        snprintf(id, sizeof id, "%d", i);
        line(id, w->pub.spawned, &w->st);
        spawned += w->pub.spawned;
        tot.stolen += w->st.stolen;
        tot.answered += w->st.answered;
        tot.declined += w->st.declined;
        tot.sleeps += w->st.sleeps;
        tot.busy_ns += w->st.busy_ns;
        tot.allocs += w->st.allocs;
    }
    line("total", spawned, &tot);
}

void rt_trace_add(RtWorker *w, int64_t start_ns, int64_t end_ns) {
    if (w->trace_len == w->trace_cap) {
        if (w->trace_cap >= TRACE_MAX_EVENTS) return;
        size_t cap = w->trace_cap ? w->trace_cap * 2 : 1024;
        RtTraceEv *p = realloc(w->trace, cap * sizeof *p);
        if (!p) return; /* tracing is best effort */
        w->trace = p;
        w->trace_cap = cap;
    }
    w->trace[w->trace_len++] = (RtTraceEv){start_ns, end_ns};
}

/* Chrome trace event format: one complete ("X") event per task run on a
 * worker, one track (tid) per worker; Perfetto and chrome://tracing show
 * nested runs (leapfrogging inside a join) stacked. */
void rt_trace_write(const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "pel: warning: cannot write trace %s: %s\n", path, strerror(errno));
        return;
    }
    fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
    int first = 1;
    for (int i = 0; i < rt_nworkers; i++) {
        RtWorker *w = rt_workers[i];
        fprintf(f, "%s{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,"
                   "\"args\":{\"name\":\"worker %d\"}}",
                first ? "" : ",\n", i, i);
        first = 0;
        for (size_t k = 0; k < w->trace_len; k++) {
            const RtTraceEv *e = &w->trace[k];
            fprintf(f, ",\n{\"name\":\"%s\",\"ph\":\"X\",\"pid\":1,\"tid\":%d,\"ts\":%.3f,\"dur\":%.3f}",
                    i == 0 && k + 1 == w->trace_len ? "main" : "task", i,
                    (double)(e->start_ns - rt_start_ns) / 1e3,
                    (double)(e->end_ns - e->start_ns) / 1e3);
        }
    }
    fputs("\n]}\n", f);
    if (fclose(f) != 0)
        fprintf(stderr, "pel: warning: cannot write trace %s: %s\n", path, strerror(errno));
}
