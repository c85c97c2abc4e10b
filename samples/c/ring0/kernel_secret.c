/* Reads (and writes) the kernel's data page at 0xC0006000, which the emulated kernel maps supervisor-only in every
 * address space. In ring 3 (--mode user, and natively) the first read faults and the process dies by SIGSEGV; in
 * ring 0 (--mode kernel, protection level 5: unverified) nothing stops it. That is the hole TAL verification closes.
 * Usage: kernel_secret [write]   (with "write", it also leaves a note in the kernel's page) */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define KERNEL_DATA ((volatile char *)0xC0006000u)

int main(int argc, char **argv)
{
    printf("reading the kernel data page at %p\n", (void *)KERNEL_DATA);
    fflush(stdout);
    char magic[9], secret[33];
    for (int i = 0; i < 8; i++) magic[i] = KERNEL_DATA[i];
    magic[8] = 0;
    for (int i = 0; i < 32; i++) secret[i] = KERNEL_DATA[8 + i];
    secret[32] = 0;
    printf("magic: %s\nsecret: %s\n", magic, secret);
    if (argc > 1 && strcmp(argv[1], "write") == 0) {
        char note[64];
        int n = snprintf(note, sizeof note, "overwritten by pid %d", (int)getpid());
        for (int i = 0; i <= n; i++) KERNEL_DATA[0x100 + i] = note[i];
        printf("wrote into the kernel: %s\n", note);
    }
    return 0;
}
