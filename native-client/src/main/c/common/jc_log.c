#include "jc_log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#define JC_LOG_WINDOW_MS 10000

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_line[1024];
static long long last_ms = -JC_LOG_WINDOW_MS;

static long long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long) tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

void jc_log_problem(const char *rv_name, const char *fmt, ...) {
    const char *level = getenv("JHSM_LOG_LEVEL");
    if (level && strcasecmp(level, "off") == 0) {
        return;
    }
    char line[1024];
    int n = snprintf(line, sizeof line, "%s: ", rv_name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t) n, fmt, ap);
    va_end(ap);

    pthread_mutex_lock(&log_lock);
    long long now = now_ms();
    if (strcmp(line, last_line) == 0 && now - last_ms < JC_LOG_WINDOW_MS) {
        pthread_mutex_unlock(&log_lock);
        return;
    }
    memcpy(last_line, line, sizeof line);
    last_ms = now;
    time_t secs = (time_t) (now / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    const char *file = getenv("JHSM_LOG");
    FILE *out = NULL;
    if (file && *file) {
        out = fopen(file, "a");
    }
    fprintf(out ? out : stderr, "%s.%03dZ jhsm client %s\n", stamp, (int) (now % 1000), line);
    if (out) {
        fclose(out);
    }
    pthread_mutex_unlock(&log_lock);
}

void jc_log_after_fork(void) {
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    memcpy(&log_lock, &fresh, sizeof fresh);
}
