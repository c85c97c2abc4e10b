/* Faults that kill only the faulting process: "divide" divides by zero (SIGFPE), "jump" calls a wild address
 * (SIGSEGV), "spin" loops forever (the timer preempts it; another process or a time limit kills it), "cli" disables
 * interrupts and loops (ring 0 only: natively and in ring 3 cli itself raises #GP, SIGSEGV; in ring 0 the watchdog
 * kills it). */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    printf("%s\n", what);
    fflush(stdout);
    if (strcmp(what, "divide") == 0) {
        volatile int zero = 0;
        printf("%d\n", 42 / zero);
    } else if (strcmp(what, "jump") == 0) {
        void (*wild)(void) = (void (*)(void))0x12345678;
        wild();
    } else if (strcmp(what, "spin") == 0) {
        for (volatile unsigned long i = 0;; i++) {
        }
    } else if (strcmp(what, "cli") == 0) {
        __asm__ volatile("cli");
        for (volatile unsigned long i = 0;; i++) {
        }
    }
    fprintf(stderr, "usage: faults divide|jump|spin|cli\n");
    return 2;
}
