#define _GNU_SOURCE
/* Memory: brk, anonymous and file mappings, munmap/mprotect faults, mremap, big allocations, stack growth. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf jump;
static void on_segv(int sig) { siglongjmp(jump, sig); }

static int probe_write(volatile char *p)
{
    if (sigsetjmp(jump, 1) == 0) {
        *p = 1;
        return 0;
    }
    return 1;
}

static long deep(int n) { volatile char pad[1024]; pad[0] = (char)n; return n == 0 ? 0 : deep(n - 1) + pad[0]; }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGSEGV, on_segv);
    char *a = sbrk(0);
    char *b = sbrk(1 << 20);
    printf("sbrk grew: %d\n", b == a && sbrk(0) == a + (1 << 20));
    memset(b, 7, 1 << 20);
    printf("heap byte: %d\n", b[12345]);

    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("anonymous zero: %d\n", m[5000] == 0);
    m[0] = 'x';
    munmap(m + 4096, 4096);
    printf("write to an unmapped page faults: %d\n", probe_write(m + 4096));
    mprotect(m, 4096, PROT_READ);
    printf("write to a read-only page faults: %d\n", probe_write(m));
    printf("read still works: %c\n", m[0]);
    mprotect(m, 4096, PROT_READ | PROT_WRITE);
    printf("writable again: %d\n", probe_write(m) == 0);

    int fd = open("data.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    for (int i = 0; i < 10000; i++) {
        char c = (char)('a' + i % 26);
        write(fd, &c, 1);
    }
    char *f = mmap(NULL, 10000, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("file mapping: %c%c%c ... %c\n", f[0], f[1], f[2], f[9999]);
    f[0] = 'Z';
    char c0;
    pread(fd, &c0, 1, 0);
    printf("private write stays private: %c\n", c0);
    char *g = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 8192);
    printf("offset mapping: %c\n", g[0]);

    char *r = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(r, "kept across mremap");
    char *r2 = mremap(r, 4096, 64 * 4096, MREMAP_MAYMOVE);
    r2[63 * 4096] = 1;
    printf("mremap: %s\n", r2);

    size_t big = 32 << 20;
    char *p = malloc(big);
    memset(p, 3, big);
    long sum = 0;
    for (size_t i = 0; i < big; i += 4096) sum += p[i];
    printf("big malloc sum: %ld\n", sum);
    free(p);

    printf("deep recursion: %ld\n", deep(2000));
    return 0;
}
