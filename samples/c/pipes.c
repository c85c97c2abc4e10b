/* Pipes and readiness: blocking transfers larger than the pipe, poll and select, non-blocking reads, EOF. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2];
    pipe(p);
    struct pollfd pf = { .fd = p[0], .events = POLLIN };
    printf("poll empty: %d\n", poll(&pf, 1, 0));
    write(p[1], "abc", 3);
    printf("poll with data: %d revents POLLIN %d\n", poll(&pf, 1, 100), (pf.revents & POLLIN) != 0);
    int avail = 0;
    ioctl(p[0], FIONREAD, &avail);
    printf("FIONREAD: %d\n", avail);
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    struct timeval tv = { 0, 0 };
    printf("select: %d\n", select(p[0] + 1, &rs, NULL, NULL, &tv));
    char buf[4096];
    read(p[0], buf, sizeof buf);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    errno = 0;
    printf("non-blocking empty read: %zd EAGAIN %d\n", read(p[0], buf, 1), errno == EAGAIN);
    fcntl(p[0], F_SETFL, 0);

    /* A megabyte through a 64 KiB pipe: the writer blocks, the reader drains. */
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        static char chunk[100000];
        for (int i = 0; i < (int)sizeof chunk; i++) chunk[i] = (char)(i % 251);
        for (int k = 0; k < 10; k++) {
            size_t off = 0;
            while (off < sizeof chunk) off += (size_t)write(p[1], chunk + off, sizeof chunk - off);
        }
        _exit(0);
    }
    close(p[1]);
    long total = 0, sum = 0;
    ssize_t n;
    while ((n = read(p[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) sum += (unsigned char)buf[i];
        total += n;
    }
    int status;
    waitpid(c, &status, 0);
    printf("transferred %ld bytes, checksum %ld, then EOF %zd\n", total, sum, n);
    pf.events = POLLIN;
    poll(&pf, 1, 0);
    printf("hangup seen: %d\n", (pf.revents & POLLHUP) != 0);

    int q[2];
    pipe(q);
    struct pollfd both[2] = { { .fd = q[0], .events = POLLIN }, { .fd = q[1], .events = POLLOUT } };
    printf("poll read/write ends: %d in %d out %d\n", poll(both, 2, 0), both[0].revents & POLLIN, (both[1].revents & POLLOUT) != 0);
    printf("poll timeout: %d\n", poll(both, 1, 20));
    return 0;
}
