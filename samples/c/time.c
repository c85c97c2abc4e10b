/* Time: clocks move forward, sleeps last at least as long as asked, the clocks agree with each other. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void)
{
    struct timespec a, b, res;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec req = { 0, 20 * 1000 * 1000 };
    printf("nanosleep: %d\n", nanosleep(&req, NULL));
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("slept at least 20 ms: %d\n", ns(b) - ns(a) >= 20000000LL);
    printf("monotonic moves forward: %d\n", ns(b) > ns(a));
    struct timeval tv;
    gettimeofday(&tv, NULL);
    time_t now = time(NULL);
    printf("time and gettimeofday agree: %d\n", now - tv.tv_sec <= 1 && tv.tv_sec - now <= 1);
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    printf("realtime after 2020: %d\n", rt.tv_sec > 1577836800);
    printf("clock_getres ok: %d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0);
    usleep(1000);
    clock_gettime(CLOCK_MONOTONIC, &a);
    printf("usleep counted: %d\n", ns(a) - ns(b) >= 1000000LL);
    return 0;
}
