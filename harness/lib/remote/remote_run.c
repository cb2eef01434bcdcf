/* One run on a host reached only through libvirt (remote.h). Files never
 * cross by path: the kernel and initramfs are uploaded into volumes of a
 * pool dumplab defines on the host, the dump disk and the hypervisor's dump
 * are volumes there and are downloaded back, and the two serial ports are
 * ptys read through virDomainOpenConsole streams. The state is this
 * process's: a worker runs one scenario. */
#define _GNU_SOURCE /* accept4 */
#include "dumplab/remote.h"
#include "dumplab/dumpdisk.h"
#include "dumplab/error.h"

#include <errno.h>
#include <fcntl.h>
#include <libvirt/virterror.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define POOL_NAME "dumplab"
#define POOL_PATH "/var/lib/libvirt/dumplab"
#define CHUNK (1 << 20)

/* A serial port carried over a libvirt stream. The streams are
 * non-blocking and served by libvirt's event loop (dl_remote_init): a
 * thread blocked in virStreamRecv would hold the connection's I/O while the
 * run's own calls (pause, dump) wait behind it. */
typedef struct {
    virStreamPtr st;
    int fd;        /* console: the local console.log; agent: the accepted client */
    int listen_fd; /* agent: the local socket the harness connects to */
    int listen_watch, fd_watch;
    bool is_agent, used, stream_cb;
    GMutex lock;
} Bridge;

static struct {
    virConnectPtr conn;
    virStoragePoolPtr pool;
    GPtrArray *vols; /* virStorageVolPtr made for this run, deleted at the end */
    virStorageVolPtr disk;
    char *prefix; /* the domain's name: every volume of the run starts with it */
    char *agent_sock;
    Bridge console, agent;
    double up_s, down_s;
    guint64 up_bytes, down_bytes;
} R;

static const char *virt_msg(void)
{
    const virError *e = virGetLastError();
    return e && e->message ? e->message : "unknown libvirt error";
}

static bool virt_fail(GError **err, const char *what)
{
    g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT, "%s on %s: %s", what, dl_virt_uri(), virt_msg());
    return false;
}

static gpointer event_loop(gpointer data)
{
    for (;;)
        if (virEventRunDefaultImpl() < 0)
            g_usleep(10 * 1000);
    return NULL;
}

bool dl_remote_init(GError **err)
{
    static bool done;
    if (done)
        return true;
    if (virEventRegisterDefaultImpl() < 0) {
        g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT, "libvirt's event loop: %s", virt_msg());
        return false;
    }
    g_thread_unref(g_thread_new("dl-virt-events", event_loop, NULL));
    done = true;
    return true;
}

bool dl_remote_enabled(void)
{
    const char *v = g_getenv("DUMPLAB_REMOTE");
    return v && !strcmp(v, "1");
}

/* The host's pool for dumplab's volumes, made (transient, built) when
 * absent. Two workers may race to make it: the loser finds the winner's. */
static bool pool_get(virConnectPtr conn, GError **err)
{
    if (R.pool)
        return true;
    R.conn = conn;
    R.pool = virStoragePoolLookupByName(conn, POOL_NAME);
    if (!R.pool) {
        static const char xml[] =
            "<pool type='dir'><name>" POOL_NAME "</name><target><path>" POOL_PATH
            "</path><permissions><mode>0700</mode></permissions></target></pool>";
        R.pool = virStoragePoolCreateXML(conn, xml, VIR_STORAGE_POOL_CREATE_WITH_BUILD);
        if (!R.pool)
            R.pool = virStoragePoolLookupByName(conn, POOL_NAME);
        if (!R.pool)
            return virt_fail(err, "making storage pool " POOL_NAME);
    }
    if (virStoragePoolIsActive(R.pool) != 1 && virStoragePoolCreate(R.pool, 0) < 0)
        return virt_fail(err, "starting storage pool " POOL_NAME);
    if (!R.vols)
        R.vols = g_ptr_array_new();
    return true;
}

static virStorageVolPtr vol_create(const char *name, guint64 bytes, GError **err)
{
    g_autofree char *ename = g_markup_escape_text(name, -1);
    g_autofree char *xml = g_strdup_printf(
        "<volume><name>%s</name><capacity unit='bytes'>%" G_GUINT64_FORMAT "</capacity>"
        "<allocation unit='bytes'>0</allocation><target><format type='raw'/>"
        "<permissions><mode>0600</mode></permissions></target></volume>",
        ename, bytes);
    virStorageVolPtr v = virStorageVolCreateXML(R.pool, xml, 0);
    if (!v) {
        g_autofree char *what = g_strdup_printf("making volume %s", name);
        virt_fail(err, what);
        return NULL;
    }
    g_ptr_array_add(R.vols, v);
    return v;
}

static int source_cb(virStreamPtr st, char *data, size_t n, void *opaque)
{
    int fd = *(int *)opaque;
    ssize_t r;
    do
        r = read(fd, data, n);
    while (r < 0 && errno == EINTR);
    return (int)r;
}

/* Uploads a local file into a new volume; returns the volume's path there. */
static char *upload(const char *local, const char *vol_name, GError **err)
{
    int fd = open(local, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        dl_set_error_errno(err, errno, "opening %s for upload", local);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    gint64 t0 = g_get_monotonic_time();
    virStorageVolPtr v = vol_create(vol_name, (guint64)st.st_size, err);
    virStreamPtr s = v ? virStreamNew(R.conn, 0) : NULL;
    bool ok = s && virStorageVolUpload(v, s, 0, (unsigned long long)st.st_size, 0) == 0 &&
              virStreamSendAll(s, source_cb, &fd) == 0 && virStreamFinish(s) == 0;
    if (!ok && v) {
        if (s)
            virStreamAbort(s);
        g_autofree char *what = g_strdup_printf("uploading %s", local);
        virt_fail(err, what);
    }
    if (s)
        virStreamFree(s);
    close(fd);
    if (!ok)
        return NULL;
    R.up_s += (g_get_monotonic_time() - t0) / 1e6;
    R.up_bytes += (guint64)st.st_size;
    char *path = virStorageVolGetPath(v);
    if (!path)
        virt_fail(err, "asking a volume's path");
    return path;
}

typedef struct {
    int fd;
    guint64 off;
} Sink;

static int sink_cb(virStreamPtr st, const char *data, size_t n, void *opaque)
{
    Sink *k = opaque;
    size_t done = 0;
    while (done < n) {
        ssize_t w = pwrite(k->fd, data + done, n - done, (off_t)(k->off + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    k->off += n;
    return (int)n;
}

/* [offset, offset+len) of a volume into the same offsets of fd; len 0 =
 * to the volume's end. */
static bool download(virStorageVolPtr v, int fd, guint64 offset, guint64 len, GError **err)
{
    gint64 t0 = g_get_monotonic_time();
    Sink k = {fd, offset};
    virStreamPtr s = virStreamNew(R.conn, 0);
    bool ok = s && virStorageVolDownload(v, s, offset, len, 0) == 0 &&
              virStreamRecvAll(s, sink_cb, &k) == 0 && virStreamFinish(s) == 0;
    if (!ok) {
        if (s)
            virStreamAbort(s);
        virt_fail(err, "downloading a volume");
    }
    if (s)
        virStreamFree(s);
    R.down_s += (g_get_monotonic_time() - t0) / 1e6;
    R.down_bytes += k.off - offset;
    return ok;
}

static bool write_all(int fd, const char *buf, size_t n, bool sock)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w =
            sock ? send(fd, buf + done, n - done, MSG_NOSIGNAL) : write(fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        done += (size_t)w;
    }
    return true;
}

/* Guest -> here: serial 0 into console.log as QEMU's file chardev would
 * write it, serial 1 to the harness's agent connection. Runs in the event
 * loop's thread. Agent bytes that arrive before the harness connects wait
 * in the stream (the callback is only added once it has). */
static void stream_readable(virStreamPtr st, int events, void *opaque)
{
    Bridge *b = opaque;
    char buf[16384];
    g_mutex_lock(&b->lock);
    for (int i = 0; i < 64 && b->st; i++) {
        int n = virStreamRecv(st, buf, sizeof(buf));
        if (n == -2)
            break;
        if (n <= 0 || b->fd < 0 || !write_all(b->fd, buf, (size_t)n, b->is_agent)) {
            /* The guest went away: stop listening; the run sees it through
             * the domain's state. */
            if (b->stream_cb) {
                virStreamEventRemoveCallback(st);
                b->stream_cb = false;
            }
            break;
        }
    }
    g_mutex_unlock(&b->lock);
}

/* Here -> guest: the harness's commands. */
static void client_readable(int watch, int fd, int events, void *opaque)
{
    Bridge *b = opaque;
    char buf[4096];
    g_mutex_lock(&b->lock);
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) {
        virEventRemoveHandle(watch);
        b->fd_watch = -1;
    }
    /* The agent's lines are short: a full stream buffer clears within
     * milliseconds, so wait a bounded while rather than queue. */
    for (ssize_t done = 0; n > 0 && done < n && b->st;) {
        int w = virStreamSend(b->st, buf + done, (size_t)(n - done));
        if (w == -2) {
            g_usleep(1000);
            continue;
        }
        if (w < 0)
            break;
        done += w;
    }
    g_mutex_unlock(&b->lock);
}

static void listen_readable(int watch, int fd, int events, void *opaque)
{
    Bridge *b = opaque;
    g_mutex_lock(&b->lock);
    int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    if (c >= 0 && b->fd < 0) {
        b->fd = c;
        b->fd_watch = virEventAddHandle(c, VIR_EVENT_HANDLE_READABLE, client_readable, b, NULL);
        b->stream_cb =
            virStreamEventAddCallback(
                b->st, VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR,
                stream_readable, b, NULL) == 0;
        virEventRemoveHandle(watch);
        b->listen_watch = -1;
    } else if (c >= 0)
        close(c);
    g_mutex_unlock(&b->lock);
}

static bool open_console(virDomainPtr dom, const char *dev, Bridge *b, GError **err)
{
    b->st = virStreamNew(R.conn, VIR_STREAM_NONBLOCK);
    if (!b->st || virDomainOpenConsole(dom, dev, b->st, VIR_DOMAIN_CONSOLE_FORCE) < 0) {
        g_autofree char *what = g_strdup_printf("opening the guest's %s", dev);
        return virt_fail(err, what);
    }
    return true;
}

static int listen_unix(const char *path, GError **err)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(sa.sun_path)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "agent socket path too long: %s", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
        dl_set_error_errno(err, errno, "listening on %s", path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Serial ports as ptys: the file and UNIX socket the local XML names would
 * be on the host, where the harness cannot reach them. */
static char *retarget_serials(const char *xml, GError **err)
{
    static const struct {
        const char *open, *with;
    } ports[] = {
        {"<serial type='file'>", "<serial type='pty'>\n      <target port='0'/>\n    </serial>\n"},
        {"<serial type='unix'>", "<serial type='pty'>\n      <target port='1'/>\n    </serial>\n"},
    };
    GString *s = g_string_new(xml);
    for (guint i = 0; i < G_N_ELEMENTS(ports); i++) {
        char *a = strstr(s->str, ports[i].open);
        char *z = a ? strstr(a, "</serial>\n") : NULL;
        if (!z) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "the domain XML has no %s port to carry over libvirt", ports[i].open);
            g_string_free(s, TRUE);
            return NULL;
        }
        gssize at = a - s->str;
        g_string_erase(s, at, z + strlen("</serial>\n") - a);
        g_string_insert(s, at, ports[i].with);
    }
    return g_string_free(s, FALSE);
}

virDomainPtr dl_remote_start(virConnectPtr conn, const DlGuestSpec *spec, GError **err)
{
    if (!pool_get(conn, err))
        return NULL;
    g_free(R.prefix);
    R.prefix = g_strdup(spec->name);
    g_autofree char *kname = g_strconcat(spec->name, "-vmlinuz", NULL);
    g_autofree char *iname = g_strconcat(spec->name, "-initrd.img", NULL);
    g_autofree char *kernel = upload(spec->kernel, kname, err);
    g_autofree char *initrd = kernel ? upload(spec->initrd, iname, err) : NULL;
    if (!initrd)
        return NULL;
    g_autofree char *disk = NULL;
    if (spec->dump_disk) {
        struct stat st;
        if (stat(spec->dump_disk, &st) < 0) {
            dl_set_error_errno(err, errno, "dump disk %s", spec->dump_disk);
            return NULL;
        }
        g_autofree char *dname = g_strconcat(spec->name, "-dump.img", NULL);
        R.disk = vol_create(dname, (guint64)st.st_size, err);
        if (!R.disk)
            return NULL;
        disk = virStorageVolGetPath(R.disk);
    }
    DlGuestSpec rs = *spec;
    rs.kernel = kernel;
    rs.initrd = initrd;
    rs.dump_disk = disk;
    g_autofree char *local_xml = dl_virt_domain_xml(&rs);
    g_autofree char *xml = retarget_serials(local_xml, err);
    if (!xml)
        return NULL;
    /* What the host was given, beside the local domain.xml run.c keeps. */
    g_autofree char *dir = g_path_get_dirname(spec->console_log);
    g_autofree char *xml_path = g_build_filename(dir, "domain.remote.xml", NULL);
    g_file_set_contents(xml_path, xml, -1, NULL);
    virDomainPtr dom = virDomainCreateXML(conn, xml, VIR_DOMAIN_START_PAUSED);
    if (!dom) {
        virt_fail(err, "starting the domain");
        return NULL;
    }
    /* Paused until both ports are read: nothing the guest prints is lost. */
    Bridge *br[2] = {&R.console, &R.agent};
    for (int i = 0; i < 2; i++) {
        br[i]->st = NULL;
        br[i]->fd = br[i]->listen_fd = br[i]->listen_watch = br[i]->fd_watch = -1;
        br[i]->stream_cb = false;
        br[i]->used = true;
        br[i]->is_agent = i == 1;
    }
    /* The locks live as long as the process: the event loop may still run
     * a callback of the previous guest's bridge. */
    static gsize locks_ready;
    if (g_once_init_enter(&locks_ready)) {
        g_mutex_init(&R.console.lock);
        g_mutex_init(&R.agent.lock);
        g_once_init_leave(&locks_ready, 1);
    }
    R.console.fd = open(spec->console_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (R.console.fd < 0) {
        dl_set_error_errno(err, errno, "creating %s", spec->console_log);
        goto fail;
    }
    R.agent_sock = g_strdup(spec->agent_sock);
    if (!open_console(dom, "serial0", &R.console, err) ||
        !open_console(dom, "serial1", &R.agent, err) ||
        (R.agent.listen_fd = listen_unix(spec->agent_sock, err)) < 0)
        goto fail;
    R.console.stream_cb =
        virStreamEventAddCallback(R.console.st,
                                  VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_HANGUP |
                                      VIR_STREAM_EVENT_ERROR,
                                  stream_readable, &R.console, NULL) == 0;
    R.agent.listen_watch = virEventAddHandle(R.agent.listen_fd, VIR_EVENT_HANDLE_READABLE,
                                             listen_readable, &R.agent, NULL);
    if (!R.console.stream_cb || R.agent.listen_watch < 0) {
        g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT,
                    "watching the guest's serial ports: %s (is the event loop running?)",
                    virt_msg());
        goto fail;
    }
    if (virDomainResume(dom) < 0) {
        virt_fail(err, "resuming the domain");
        goto fail;
    }
    return dom;
fail:
    virDomainDestroy(dom);
    virDomainFree(dom);
    dl_remote_guest_end();
    return NULL;
}

static void bridge_stop(Bridge *b)
{
    if (!b->used)
        return;
    /* Detach under the lock (a callback running now finishes first; later
     * ones find nothing), then call libvirt without it: the event loop's
     * thread may need the connection meanwhile. */
    g_mutex_lock(&b->lock);
    virStreamPtr st = b->st;
    bool cb = b->stream_cb;
    int lw = b->listen_watch, fw = b->fd_watch, fd = b->fd, lfd = b->listen_fd;
    b->st = NULL;
    b->stream_cb = false;
    b->listen_watch = b->fd_watch = b->fd = b->listen_fd = -1;
    b->used = false;
    g_mutex_unlock(&b->lock);
    if (lw >= 0)
        virEventRemoveHandle(lw);
    if (fw >= 0)
        virEventRemoveHandle(fw);
    if (st) {
        if (cb)
            virStreamEventRemoveCallback(st);
        virStreamAbort(st);
        virStreamFree(st);
    }
    if (fd >= 0)
        close(fd);
    if (lfd >= 0)
        close(lfd);
}

void dl_remote_guest_end(void)
{
    bridge_stop(&R.console);
    bridge_stop(&R.agent);
    if (R.agent_sock) {
        unlink(R.agent_sock);
        g_clear_pointer(&R.agent_sock, g_free);
    }
}

typedef struct {
    virDomainPtr dom;
    char *path;
    int rc;
    char *error;
    gint done, refs;
} DumpJob;

static void dump_unref(DumpJob *j)
{
    if (!g_atomic_int_dec_and_test(&j->refs))
        return;
    virDomainFree(j->dom);
    g_free(j->path);
    g_free(j->error);
    g_free(j);
}

static gpointer dump_thread(gpointer data)
{
    DumpJob *j = data;
    j->rc = virDomainCoreDumpWithFormat(j->dom, j->path, VIR_DOMAIN_CORE_DUMP_FORMAT_RAW,
                                        VIR_DUMP_MEMORY_ONLY);
    if (j->rc < 0)
        j->error = g_strdup(virt_msg());
    g_atomic_int_set(&j->done, 1);
    dump_unref(j);
    return NULL;
}

bool dl_remote_core_dump(virDomainPtr dom, const char *path, int timeout_s, GError **err)
{
    if (!pool_get(virDomainGetConnect(dom), err))
        return false;
    g_autofree char *name = g_strconcat(R.prefix ? R.prefix : "dumplab", "-", "hv.vmcore", NULL);
    virStorageVolPtr v = vol_create(name, 0, err);
    g_autofree char *rpath = v ? virStorageVolGetPath(v) : NULL;
    if (!rpath)
        return v ? virt_fail(err, "asking a volume's path") : false;
    /* The libvirt call has no deadline of its own: it runs in a thread and
     * is aborted when ours passes. */
    DumpJob *j = g_new0(DumpJob, 1);
    virDomainRef(dom);
    j->dom = dom;
    j->path = g_strdup(rpath);
    j->refs = 2;
    g_thread_unref(g_thread_new("dl-remote-dump", dump_thread, j));
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;
    bool aborted = false;
    while (!g_atomic_int_get(&j->done)) {
        if (!aborted && g_get_monotonic_time() >= deadline) {
            virDomainAbortJob(dom);
            aborted = true;
        }
        if (aborted && g_get_monotonic_time() >= deadline + 30 * G_USEC_PER_SEC)
            break;
        g_usleep(50 * 1000);
    }
    bool ok = g_atomic_int_get(&j->done) && j->rc == 0 && !aborted;
    if (!ok)
        g_set_error(err, DL_ERROR, aborted ? DL_ERROR_TIMEOUT : DL_ERROR_LIBVIRT,
                    "hypervisor dump on %s: %s", dl_virt_uri(),
                    aborted    ? "did not finish in time; aborted"
                    : j->error ? j->error
                               : "failed");
    dump_unref(j);
    if (!ok)
        return false;
    /* The pool learns the file's new size; then it comes back whole. */
    virStorageVolPtr fresh = NULL;
    if (virStoragePoolRefresh(R.pool, 0) == 0)
        fresh = virStorageVolLookupByName(R.pool, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "creating %s", path);
        if (fresh)
            virStorageVolFree(fresh);
        return false;
    }
    ok = download(fresh ? fresh : v, fd, 0, 0, err);
    close(fd);
    if (fresh) {
        virStorageVolDelete(fresh, 0);
        virStorageVolFree(fresh);
    }
    return ok;
}

/* The dump disk's header is in its first 4 KiB (layout 1) or its last
 * whole 4 KiB block (layout 2, dumpdisk.c). */
#define HEADER_SIZE 4096

bool dl_remote_fetch_dump_disk(const char *local_disk, GError **err)
{
    if (!R.disk) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "no dump disk volume on %s", dl_virt_uri());
        return false;
    }
    int fd = open(local_disk, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "opening %s", local_disk);
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size < HEADER_SIZE) {
        dl_set_error_errno(err, errno, "%s: cannot size the local dump disk", local_disk);
        close(fd);
        return false;
    }
    guint64 size = (guint64)st.st_size, last = (size - HEADER_SIZE) / 4096 * 4096;
    bool ok = download(R.disk, fd, 0, HEADER_SIZE, err) &&
              (last == 0 || download(R.disk, fd, last, HEADER_SIZE, err));
    close(fd);
    /* Only what the header names: the disk is as large as RAM and mostly
     * holes. dumpdisk.c's one reader judges the header (an unfinished
     * capture is its error, with its words). */
    DlDumpHeader h;
    if (!ok || !dl_dumpdisk_read_header(local_disk, &h, err))
        return false;
    if ((fd = open(local_disk, O_RDWR | O_CLOEXEC)) < 0) {
        dl_set_error_errno(err, errno, "opening %s", local_disk);
        return false;
    }
    ok = (!h.vmcore_size || download(R.disk, fd, h.vmcore_offset, h.vmcore_size, err)) &&
         (!h.dmesg_size || download(R.disk, fd, h.dmesg_offset, h.dmesg_size, err));
    close(fd);
    return ok;
}

DlAccel dl_remote_probe_accel(virConnectPtr conn, char **why)
{
    char *caps = virConnectGetDomainCapabilities(conn, NULL, "x86_64", NULL, "kvm", 0);
    if (caps) {
        free(caps);
        *why = g_strdup_printf("%s offers the kvm domain type", dl_virt_uri());
        return DL_ACCEL_KVM;
    }
    *why = g_strdup_printf("%s offers no kvm domain type (%s)", dl_virt_uri(), virt_msg());
    return DL_ACCEL_TCG;
}

void dl_remote_finish(void)
{
    dl_remote_guest_end();
    for (guint i = 0; R.vols && i < R.vols->len; i++) {
        virStorageVolPtr v = g_ptr_array_index(R.vols, i);
        virStorageVolDelete(v, 0);
        virStorageVolFree(v);
    }
    if (R.vols)
        g_ptr_array_set_size(R.vols, 0);
    R.disk = NULL;
    if (R.pool) {
        virStoragePoolFree(R.pool);
        R.pool = NULL;
    }
}

void dl_remote_transfer_stats(double *up_s, guint64 *up_bytes, double *down_s, guint64 *down_bytes)
{
    *up_s = R.up_s;
    *up_bytes = R.up_bytes;
    *down_s = R.down_s;
    *down_bytes = R.down_bytes;
}
