/* Files: open flags, positional I/O, truncation, descriptors, links, directories, metadata, record locks. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    umask(022);
    int fd = open("f.txt", O_CREAT | O_RDWR | O_TRUNC, 0666);
    write(fd, "hello world\n", 12);
    char buf[64] = { 0 };
    pread(fd, buf, 5, 6);
    printf("pread: %s\n", buf);
    pwrite(fd, "HELLO", 5, 0);
    lseek(fd, 0, SEEK_SET);
    memset(buf, 0, sizeof buf);
    read(fd, buf, sizeof buf - 1);
    printf("after pwrite: %s", buf);
    printf("lseek end: %ld\n", (long)lseek(fd, 0, SEEK_END));
    ftruncate(fd, 5);
    struct stat st;
    fstat(fd, &st);
    printf("size after truncate: %ld mode %o regular %d\n", (long)st.st_size, st.st_mode & 0777, S_ISREG(st.st_mode));

    int d = dup(fd);
    int d2 = fcntl(fd, F_DUPFD, 10);
    printf("dup: %d, F_DUPFD: %d, same offset: %d\n", d > fd, d2 >= 10, lseek(d, 0, SEEK_CUR) == lseek(fd, 0, SEEK_CUR));
    fcntl(fd, F_SETFL, O_APPEND);
    printf("append flag: %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    printf("cloexec: %d, dup keeps none: %d\n", fcntl(fd, F_GETFD), fcntl(d, F_GETFD));
    close(d);
    close(d2);

    errno = 0;
    printf("O_EXCL on existing: %d errno EEXIST %d\n", open("f.txt", O_CREAT | O_EXCL | O_WRONLY, 0600), errno == EEXIST);
    link("f.txt", "g.txt");
    stat("f.txt", &st);
    printf("links: %ld\n", (long)st.st_nlink);
    rename("g.txt", "h.txt");
    printf("renamed: %d %d\n", access("g.txt", F_OK), access("h.txt", F_OK));
    unlink("h.txt");
    symlink("f.txt", "s.lnk");
    memset(buf, 0, sizeof buf);
    printf("readlink: %zd %s\n", readlink("s.lnk", buf, sizeof buf), buf);
    lstat("s.lnk", &st);
    printf("lstat is link: %d; stat follows: ", S_ISLNK(st.st_mode));
    stat("s.lnk", &st);
    printf("%d\n", S_ISREG(st.st_mode));

    mkdir("dir", 0755);
    mkdir("dir/sub", 0700);
    close(open("dir/a", O_CREAT | O_WRONLY, 0644));
    close(open("dir/b", O_CREAT | O_WRONLY, 0644));
    errno = 0;
    printf("rmdir non-empty: %d ENOTEMPTY %d\n", rmdir("dir"), errno == ENOTEMPTY);
    DIR *dir = opendir("dir");
    char *names[16];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && n < 16) names[n++] = strdup(e->d_name);
    closedir(dir);
    qsort(names, n, sizeof names[0], cmp);
    printf("entries:");
    for (int i = 0; i < n; i++) printf(" %s", names[i]);
    printf("\n");
    stat("dir", &st);
    printf("dir links: %ld\n", (long)st.st_nlink);
    stat("dir/sub", &st);
    printf("sub mode: %o\n", st.st_mode & 0777);
    chmod("dir/a", 0600);
    stat("dir/a", &st);
    printf("chmod: %o\n", st.st_mode & 0777);
    struct timespec times[2] = { { 1000000000, 0 }, { 1234567890, 500 } };
    utimensat(AT_FDCWD, "dir/a", times, 0);
    stat("dir/a", &st);
    printf("mtime: %ld %ld\n", (long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);

    chdir("dir");
    char cwd[256];
    getcwd(cwd, sizeof cwd);
    printf("cwd ends with /dir: %d\n", strcmp(cwd + strlen(cwd) - 4, "/dir") == 0);
    chdir("..");

    int lf = open("lock.txt", O_CREAT | O_RDWR, 0644);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
    printf("lock: %d\n", fcntl(lf, F_SETLK, &fl));
    pid_t parent = getpid();
    if (fork() == 0) {
        struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1 };
        fcntl(lf, F_GETLK, &q);
        printf("child sees lock: type %d by parent %d\n", q.l_type == F_WRLCK, q.l_pid == parent);
        struct flock t = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
        errno = 0;
        printf("child F_SETLK: %d EAGAIN/EACCES %d\n", fcntl(lf, F_SETLK, &t), errno == EAGAIN || errno == EACCES);
        _exit(0);
    }
    wait(NULL);
    return 0;
}
