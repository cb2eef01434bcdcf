/* kdump.conf in the first kernel: the harness sends the files the crash
 * kernel's kdump needs (kdump.conf, the plan, /etc/hosts, the ssh key) as
 * KFILE lines; at ARM they are packed, with the image's kdump extras, into
 * a cpio archive appended to the crash initramfs, as kdumpctl rebuilds the
 * kdump initramfs around /etc/kdump.conf. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILES_DIR "/tmp/kdump-files"
#define CRASH_IMG "/boot/crash.img"
#define EXTRAS "/boot/kdump-extras.cpio"
#define KDUMP_IMG "/tmp/crash-kdump.img"
#define MAX_FILES 16
#define MAX_REMOVE 16

static struct {
    char path[256];
    unsigned mode;
} files[MAX_FILES];
static int nfiles;
static char removes[MAX_REMOVE][128];
static int nremoves;

static bool mkdirs(const char *path) /* every parent of path */
{
    char tmp[512];
    copy_str(tmp, sizeof(tmp), path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
                return false;
            *p = '/';
        }
    return true;
}

static bool safe_path(const char *p)
{
    return p[0] == '/' && !strstr(p, "/..") && strlen(p) < sizeof(files[0].path);
}

/* KFILE path=/etc/kdump.conf mode=0600 data=<chunk>: appends the chunk. */
static void kfile(const char *line)
{
    char path[256], mode[16] = "0644", data[AGENT_LINE_MAX], host[4400];
    if (!msg_get(line, "path", path, sizeof(path)) || !safe_path(path) ||
        !msg_get(line, "data", data, sizeof(data))) {
        logmsg("kdump: malformed KFILE line");
        return;
    }
    msg_get(line, "mode", mode, sizeof(mode));
    int i;
    for (i = 0; i < nfiles && strcmp(files[i].path, path); i++)
        ;
    if (i == nfiles) {
        if (nfiles == MAX_FILES) {
            logmsg("kdump: more than %d KFILEs; %s dropped", MAX_FILES, path);
            return;
        }
        copy_str(files[i].path, sizeof(files[i].path), path);
        files[i].mode = (unsigned)strtoul(mode, NULL, 8) & 07777;
        nfiles++;
    }
    snprintf(host, sizeof(host), FILES_DIR "%s", path);
    mkdirs(host);
    int fd = open(host, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, data, strlen(data)) != (ssize_t)strlen(data))
        logmsg("kdump: writing %s: %s", host, strerror(errno));
    if (fd >= 0)
        close(fd);
}

bool kdump_first_msg(const char *line)
{
    if (strncmp(line, "KFILE ", 6) == 0) {
        kfile(line);
        return true;
    }
    char key[32], value[AGENT_LINE_MAX];
    if (strncmp(line, "SET ", 4) == 0 && msg_get(line, "key", key, sizeof(key)) &&
        strcmp(key, "crash_remove") == 0 && msg_get(line, "value", value, sizeof(value))) {
        /* KDUMP_COMMANDLINE_REMOVE: words, each dropped from the crash
         * kernel's command line by its key (quiet, or loglevel=...). */
        nremoves = 0;
        for (char *save = NULL, *t = strtok_r(value, " ", &save); t && nremoves < MAX_REMOVE;
             t = strtok_r(NULL, " ", &save))
            copy_str(removes[nremoves++], sizeof(removes[0]), t);
        return true;
    }
    return false;
}

bool kdump_drop_token(const char *t)
{
    for (int i = 0; i < nremoves; i++) {
        size_t n = strcspn(removes[i], "=");
        if (strcmp(t, removes[i]) == 0 ||
            (removes[i][n] == 0 && strncmp(t, removes[i], n) == 0 && t[n] == '='))
            return true;
    }
    return false;
}

static bool write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= w;
    }
    return true;
}

static bool append_file(int out, const char *path)
{
    size_t len = 0;
    char *data = read_file(path, &len);
    if (!data)
        return false;
    bool ok = write_all(out, data, len);
    free(data);
    return ok;
}

static bool cpio_entry(int out, const char *name, unsigned mode, const char *data, size_t len)
{
    static unsigned ino = 0x6b64; /* any inode numbers unique in this archive */
    char hdr[160];
    size_t namesize = strlen(name) + 1;
    snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
             ino++, mode, 0u, 0u, 1u, 0u, len, 0u, 0u, 0u, 0u, namesize, 0u);
    static const char zeros[4];
    size_t pad1 = (4 - (110 + namesize) % 4) % 4, pad2 = (4 - len % 4) % 4;
    return write_all(out, hdr, 110) && write_all(out, name, namesize) &&
           write_all(out, zeros, pad1) && (len == 0 || write_all(out, data, len)) &&
           write_all(out, zeros, pad2);
}

const char *kdump_initrd(void)
{
    if (nfiles == 0)
        return CRASH_IMG;
    int out = open(KDUMP_IMG, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = out >= 0 && append_file(out, CRASH_IMG) && append_file(out, EXTRAS);
    /* The kernel unpacks concatenated archives; ours adds the files, each
     * after its parent folders. */
    for (int i = 0; ok && i < nfiles; i++) {
        char name[256];
        copy_str(name, sizeof(name), files[i].path + 1);
        for (char *p = name; ok && (p = strchr(p, '/')); p++) {
            *p = 0;
            ok = cpio_entry(out, name, 040755, NULL, 0);
            *p = '/';
        }
        char host[4400];
        snprintf(host, sizeof(host), FILES_DIR "%s", files[i].path);
        size_t len = 0;
        char *data = read_file(host, &len);
        ok = ok && data && cpio_entry(out, name, 0100000 | files[i].mode, data, len);
        free(data);
    }
    ok = ok && cpio_entry(out, "TRAILER!!!", 0, NULL, 0);
    if (out >= 0)
        close(out);
    if (!ok) {
        logmsg("kdump: building %s failed: %s", KDUMP_IMG, strerror(errno));
        return NULL;
    }
    return KDUMP_IMG;
}
