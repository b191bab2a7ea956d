/*
 * The one piece of vethmap that must be native: a netlink socket opened *inside* a given
 * network namespace, and a file read there (its /proc/sys/net). Everything else (message
 * encoding, parsing, policy) is TypeScript in server/src/kernel/. Why native: Node has no AF_NETLINK sockets, and a
 * socket created after setns() stays bound to that namespace, so dumps and events need
 * no nsid (a namespace may have none) and no child process per namespace.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <uv.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/net_namespace.h>

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, #call " failed"); return NULL; } } while (0)

static napi_value errno_error(napi_env env, const char *what, int err) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_value code, message, error;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  const char *name = NULL;
  switch (err) {
    case ENOENT: name = "ENOENT"; break;
    case EPERM: name = "EPERM"; break;
    case EACCES: name = "EACCES"; break;
    case EINVAL: name = "EINVAL"; break;
    case ENOBUFS: name = "ENOBUFS"; break;
    case ETIMEDOUT: name = "ETIMEDOUT"; break;
    case ESRCH: name = "ESRCH"; break;
    case ENOMEM: name = "ENOMEM"; break;
    case EOPNOTSUPP: name = "EOPNOTSUPP"; break;
    case EPROTONOSUPPORT: name = "EPROTONOSUPPORT"; break;
    default: name = "EIO";
  }
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code);
  napi_create_error(env, code, message, &error);
  napi_value errnoValue;
  napi_create_int32(env, err, &errnoValue);
  napi_set_named_property(env, error, "errno", errnoValue);
  return error;
}

static napi_value throw_errno(napi_env env, const char *what, int err) {
  napi_throw(env, errno_error(env, what, err));
  return NULL;
}

/*
 * Enters the namespace at `path` on this thread; *own receives a descriptor of the namespace
 * we came from (for leave_namespace). Returns 0, or an errno with nothing left open.
 */
static int enter_namespace(const char *path, int *own) {
  /* setns(CLONE_NEWNET) affects only the calling thread; no JS runs before we switch back. */
  *own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (*own < 0) return errno;
  int target = open(path, O_RDONLY | O_CLOEXEC);
  if (target < 0) { int e = errno; close(*own); return e; }
  if (setns(target, CLONE_NEWNET) < 0) { int e = errno; close(*own); close(target); return e; }
  close(target);
  return 0;
}

static void leave_namespace(int own) {
  if (setns(own, CLONE_NEWNET) < 0) abort(); /* continuing in the wrong namespace would be a lie */
  close(own);
}

/* Reads an optional string argument into buf; returns 1 when it was a string. */
static int optional_path(napi_env env, napi_value v, char *buf, size_t size) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_string) return 0;
  size_t len;
  return napi_get_value_string_utf8(env, v, buf, size, &len) == napi_ok;
}

/* openSocket(nsPath: string | null, groups: number, rcvbuf: number, protocol?: number): number */
static napi_value open_socket(napi_env env, napi_callback_info info) {
  size_t argc = 4; napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) return throw_errno(env, "openSocket", EINVAL);
  char path[4096] = {0};
  int hasPath = optional_path(env, argv[0], path, sizeof path);
  uint32_t groups = 0; int32_t rcvbuf = 0, protocol = NETLINK_ROUTE;
  CHECK(napi_get_value_uint32(env, argv[1], &groups));
  CHECK(napi_get_value_int32(env, argv[2], &rcvbuf));
  /* NETLINK_ROUTE by default; NETLINK_NETFILTER (12) reads nf_tables. */
  napi_valuetype pt = napi_undefined;
  if (argc > 3) CHECK(napi_typeof(env, argv[3], &pt));
  if (pt == napi_number) CHECK(napi_get_value_int32(env, argv[3], &protocol));

  int own = -1;
  if (hasPath) {
    int e = enter_namespace(path, &own);
    if (e) return throw_errno(env, "setns", e);
  }
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
  int sockErr = errno;
  if (hasPath) leave_namespace(own);
  if (fd < 0) return throw_errno(env, "socket", sockErr);
  if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  int one = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  /* Strict checking lets a dump be filtered (addresses of one ifindex); without it the
   * kernel ignores the filter and answers with every address of the namespace. */
  if (groups == 0) setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one);
  struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { int e = errno; close(fd); return throw_errno(env, "bind", e); }
  napi_value out; CHECK(napi_create_int32(env, fd, &out));
  return out;
}

/*
 * readFileIn(nsPath: string | null, path: string, maxBytes: number): Buffer
 * Opens and reads a file from inside the namespace: /proc/sys/net and /proc/thread-self/net
 * are resolved against the opening thread's network namespace, so another namespace's
 * sysctls can only be read this way. Reads at most maxBytes.
 */
static napi_value read_file_in(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) return throw_errno(env, "readFileIn", EINVAL);
  char nsPath[4096] = {0}, file[4096] = {0};
  int hasPath = optional_path(env, argv[0], nsPath, sizeof nsPath);
  if (!optional_path(env, argv[1], file, sizeof file)) return throw_errno(env, "readFileIn", EINVAL);
  int32_t max = 0; CHECK(napi_get_value_int32(env, argv[2], &max));
  if (max <= 0 || max > (1 << 20)) return throw_errno(env, "readFileIn", EINVAL);
  char *buf = malloc((size_t)max);
  if (!buf) return throw_errno(env, "readFileIn", ENOMEM);

  int own = -1;
  if (hasPath) {
    int e = enter_namespace(nsPath, &own);
    if (e) { free(buf); return throw_errno(env, "setns", e); }
  }
  int err = 0; size_t len = 0;
  int fd = open(file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) err = errno;
  while (fd >= 0 && len < (size_t)max) {
    ssize_t n = read(fd, buf + len, (size_t)max - len);
    if (n < 0) { if (errno == EINTR) continue; err = errno; break; }
    if (n == 0) break;
    len += (size_t)n;
  }
  if (fd >= 0) close(fd);
  if (hasPath) leave_namespace(own);
  if (err) { free(buf); return throw_errno(env, file, err); }
  napi_value out; void *data;
  napi_status st = napi_create_buffer_copy(env, len, buf, &data, &out);
  free(buf);
  if (st != napi_ok) { napi_throw_error(env, NULL, "buffer"); return NULL; }
  return out;
}

/* request(fd, message: Buffer, timeoutMs): Buffer -- all reply datagrams up to NLMSG_DONE/ERROR. */
static napi_value request(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd, timeout; void *msg; size_t msglen;
  CHECK(napi_get_value_int32(env, argv[0], &fd));
  CHECK(napi_get_buffer_info(env, argv[1], &msg, &msglen));
  CHECK(napi_get_value_int32(env, argv[2], &timeout));
  if (msglen < sizeof(struct nlmsghdr)) return throw_errno(env, "request", EINVAL);
  uint32_t seq = ((struct nlmsghdr *)msg)->nlmsg_seq;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  if (sendto(fd, msg, msglen, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) return throw_errno(env, "send", errno);

  size_t cap = 1 << 16, len = 0;
  char *acc = malloc(cap);
  char buf[1 << 16];
  int done = 0;
  while (!done) {
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int r = poll(&p, 1, timeout);
    if (r == 0) { free(acc); return throw_errno(env, "recv", ETIMEDOUT); }
    if (r < 0) { if (errno == EINTR) continue; int e = errno; free(acc); return throw_errno(env, "poll", e); }
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) { if (errno == EINTR) continue; int e = errno; free(acc); return throw_errno(env, "recv", e); }
    int keep = 0;
    int left = (int)n; /* NLMSG_NEXT consumes its length argument */
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_seq != seq) continue; /* a stray reply to an earlier, abandoned request */
      keep = 1;
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR || !(h->nlmsg_flags & NLM_F_MULTI)) done = 1;
    }
    if (!keep) continue;
    while (len + (size_t)n > cap) { cap *= 2; acc = realloc(acc, cap); }
    memcpy(acc + len, buf, (size_t)n);
    len += (size_t)n;
  }
  napi_value out; void *data;
  if (napi_create_buffer_copy(env, len, acc, &data, &out) != napi_ok) { free(acc); napi_throw_error(env, NULL, "buffer"); return NULL; }
  free(acc);
  return out;
}

/* ---- dumpNamespaces: many namespaces read in one call, on up to four threads ---- */

/* A growable byte buffer; on allocation failure `failed` is set and appends stop. */
typedef struct { char *data; size_t len, cap; int failed; } bytes_t;

static void bytes_append(bytes_t *b, const void *p, size_t n) {
  if (b->failed) return;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 8192;
    while (b->len + n > cap) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) { b->failed = 1; return; }
    b->data = d; b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

/* Zeros up to the next 4-byte boundary: netlink aligns messages to 4. */
static void bytes_pad(bytes_t *b) {
  static const char zeros[4] = { 0 };
  if (b->len % 4) bytes_append(b, zeros, 4 - b->len % 4);
}

/*
 * Sends `msg` (its nlmsg_seq set to `seq`) and appends every reply up to NLMSG_DONE /
 * NLMSG_ERROR / a lone reply to `out`. Returns 0 or an errno.
 */
static int exchange(int fd, void *msg, size_t len, uint32_t seq, int timeout, bytes_t *out, char *buf, size_t bufSize) {
  ((struct nlmsghdr *)msg)->nlmsg_seq = seq;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  if (sendto(fd, msg, len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) return errno;
  for (int done = 0; !done;) {
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int r = poll(&p, 1, timeout);
    if (r == 0) return ETIMEDOUT;
    if (r < 0) { if (errno == EINTR) continue; return errno; }
    ssize_t n = recv(fd, buf, bufSize, 0);
    if (n < 0) { if (errno == EINTR) continue; return errno; }
    int left = (int)n;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_seq != seq) continue; /* a stray reply (none expected on a fresh socket) */
      bytes_append(out, h, h->nlmsg_len);
      bytes_pad(out);
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR || !(h->nlmsg_flags & NLM_F_MULTI)) done = 1;
    }
  }
  return out->failed ? ENOMEM : 0;
}

/* A request socket in the calling thread's namespace, as openSocket makes one with groups 0. */
static int request_socket(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one);
  struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { int e = errno; close(fd); errno = e; return -1; }
  return fd;
}

/* RTM_GETNSID with NETNSA_FD: the id the asking socket's namespace gives the one open at `nsfd`. */
static int ask_nsid(int sock, int nsfd, uint32_t seq, int timeout, bytes_t *out, char *buf, size_t bufSize) {
  struct { struct nlmsghdr h; struct rtgenmsg g; char pad[3]; struct nlattr a; uint32_t fd; } req;
  memset(&req, 0, sizeof req);
  req.h.nlmsg_len = sizeof req;
  req.h.nlmsg_type = RTM_GETNSID;
  req.h.nlmsg_flags = NLM_F_REQUEST;
  req.g.rtgen_family = AF_UNSPEC;
  req.a.nla_len = sizeof req.a + sizeof req.fd;
  req.a.nla_type = NETNSA_FD;
  req.fd = (uint32_t)nsfd;
  return exchange(sock, &req, sizeof req, seq, timeout, out, buf, bufSize);
}

#define DUMP_MOVED (-1)

typedef struct {
  /* in */
  char **paths;        /* NULL: the namespace the calling thread runs in */
  double *inodes;      /* 0: not checked */
  void **requests; size_t *requestLengths; size_t requestCount;
  int rootFd;          /* >= 0: also ask the nsids between each namespace and this one */
  struct stat rootStat;
  int timeout;
  /* per namespace: the descriptor it is entered through (-1: the caller's own), opened by
   * the calling thread before any thread enters anything (see dump_namespaces) */
  int *fds;
  struct stat *stats;
  /* the namespaces [next, end) are left to take (atomic): the root's dump alone may
   * outweigh a hundred others, so threads take one at a time rather than a share */
  size_t next, end;
  int setupError;      /* why a thread could not start working, for what no thread did */
  /* out, per namespace: the replies, or an errno (DUMP_MOVED: the path leads elsewhere now) */
  bytes_t *results;
  int *errors;
  char *done;
  const char **steps;  /* what failed, for the error's message */
} dump_job_t;

/* A datagram buffer per thread: a dump's datagrams are at most a page or two, 64 KiB is ample. */
#define RECV_SIZE (1 << 16)

/*
 * One namespace: the requests on a socket made inside it (seq 1..n), then, with a root, the
 * id it gives the root (seq n+1, asked on that socket) and the id the root gives it (seq
 * n+2, on `rootSock`).
 */
static int dump_one(dump_job_t *job, size_t i, int own, struct stat *ownStat, int rootSock, int *entered, char *buf) {
  bytes_t *out = &job->results[i];
  int target = job->fds[i];
  struct stat *st = target >= 0 ? &job->stats[i] : ownStat;
  job->steps[i] = "setns";
  if (target >= 0) {
    if (setns(target, CLONE_NEWNET) < 0) {
      int e = errno;
      /* A non-root user may still read the namespace it runs in. */
      int same = st->st_dev == ownStat->st_dev && st->st_ino == ownStat->st_ino;
      if (!same || (e != EPERM && e != EACCES)) return e;
      if (*entered && setns(own, CLONE_NEWNET) < 0) abort();
      *entered = 0;
    } else {
      *entered = 1;
    }
  } else if (*entered) {
    if (setns(own, CLONE_NEWNET) < 0) abort();
    *entered = 0;
  }
  job->steps[i] = "socket";
  int sock = request_socket();
  if (sock < 0) return errno;
  job->steps[i] = "netlink";
  int err = 0;
  for (size_t r = 0; r < job->requestCount && !err; r++)
    err = exchange(sock, job->requests[r], job->requestLengths[r], (uint32_t)(r + 1), job->timeout, out, buf, RECV_SIZE);
  int isRoot = st->st_dev == job->rootStat.st_dev && st->st_ino == job->rootStat.st_ino;
  /* Unanswered nsid questions are not the dump's failure: the resolving pass asks again. */
  if (!err && job->rootFd >= 0 && !isRoot) {
    ask_nsid(sock, job->rootFd, (uint32_t)job->requestCount + 1, job->timeout, out, buf, RECV_SIZE);
    if (rootSock >= 0) ask_nsid(rootSock, target >= 0 ? target : own, (uint32_t)job->requestCount + 2, job->timeout, out, buf, RECV_SIZE);
  }
  close(sock);
  return err;
}

static void *dump_worker(void *arg) {
  dump_job_t *job = arg;
  struct stat ownStat;
  int setupError = 0;
  /* The namespace this thread runs in (a new thread's is the caller's, made before it enters any). */
  int own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (own < 0 || fstat(own, &ownStat) < 0) setupError = errno;
  char *buf = setupError ? NULL : malloc(RECV_SIZE);
  if (!setupError && !buf) setupError = ENOMEM;
  if (setupError) {
    __atomic_store_n(&job->setupError, setupError, __ATOMIC_RELAXED);
    if (own >= 0) close(own);
    return NULL; /* the others take this one's share */
  }
  int rootSock = -1, entered = 0;
  if (job->rootFd >= 0) {
    int same = job->rootStat.st_dev == ownStat.st_dev && job->rootStat.st_ino == ownStat.st_ino;
    if (!same && setns(job->rootFd, CLONE_NEWNET) == 0) entered = 1;
    if (same || entered) rootSock = request_socket();
  }
  for (size_t i; (i = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED)) < job->end;) {
    if (job->done[i]) continue; /* refused when opened */
    job->errors[i] = dump_one(job, i, own, &ownStat, rootSock, &entered, buf);
    job->done[i] = 1;
  }
  /* Back where this thread came from: the calling thread runs JavaScript next. */
  if (entered && setns(own, CLONE_NEWNET) < 0) abort();
  if (rootSock >= 0) close(rootSock);
  close(own);
  free(buf);
  return NULL;
}

/*
 * Namespaces [start, end): their paths are opened here, in the calling thread, before any
 * thread enters a namespace. A path such as /proc/self/ns/net (the root where pid 1's is
 * refused) names whatever namespace the process's first thread is in *when it is opened*:
 * opened by a thread while this one was inside another namespace, it was that other
 * namespace, read under the root's name (the differential fuzzer caught it). Each
 * descriptor is checked against the inode the listing found: what is read is the
 * namespace asked, even if its path moves meanwhile.
 */
static void dump_range(dump_job_t *job, size_t start, size_t end) {
  for (size_t i = start; i < end; i++) {
    job->fds[i] = -1;
    if (!job->paths[i]) continue;
    int fd = open(job->paths[i], O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &job->stats[i]) < 0) {
      job->errors[i] = errno;
      job->steps[i] = "setns";
      job->done[i] = 1;
      if (fd >= 0) close(fd);
      continue;
    }
    if (job->inodes[i] > 0 && (double)job->stats[i].st_ino != job->inodes[i]) {
      job->errors[i] = DUMP_MOVED;
      job->done[i] = 1;
      close(fd);
      continue;
    }
    job->fds[i] = fd;
  }
  job->next = start;
  job->end = end;
  /* Threads pay off from a few dozen namespaces (one costs ~50 µs to start). */
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  size_t workers = (end - start) / 32 + 1;
  if (workers > 4) workers = 4;
  if (cpus > 0 && workers > (size_t)cpus) workers = (size_t)cpus;
  /* This thread works too: every path is open by now, so its entering namespaces can no
   * longer change what one leads to. It is back in its own when dump_worker returns. */
  pthread_t threads[3];
  size_t started = 0;
  for (size_t k = 1; k < workers; k++) if (pthread_create(&threads[started], NULL, dump_worker, job) == 0) started++;
  dump_worker(job);
  for (size_t k = 0; k < started; k++) pthread_join(threads[k], NULL);
  for (size_t i = start; i < end; i++) {
    if (!job->done[i]) { job->errors[i] = job->setupError ? job->setupError : EIO; job->done[i] = 1; }
    if (job->fds[i] >= 0) close(job->fds[i]);
  }
}

/*
 * How many namespaces are held open at once. All 300 of a 300-namespace host held open
 * made the first call 2-3x slower than batches of 32 to 200 (20-32 against 9-11 ms,
 * measured): a threaded process waits for RCU each time the kernel grows its descriptor
 * table (part of it: growing the table beforehand left 16-18 ms). 32 keeps node's own
 * descriptors and a batch under the table's first size.
 */
#define OPEN_AT_ONCE 32

/*
 * dumpNamespaces(paths: Array<string | null>, inodes: number[], requests: Buffer[],
 *                rootPath: string | null, timeoutMs: number):
 *   { data: Buffer, reads: Array<number | Error | null> }
 * Per namespace, every reply to `requests` (sent in order, nlmsg_seq 1..n) and, with
 * `rootPath`, to two RTM_GETNSID questions (seq n+1: the id it gives the root; n+2: the id
 * the root gives it): `reads[i]` is the length of those replies in `data`, where the
 * namespaces' replies follow each other in order; or an Error (code, errno) saying which
 * step failed; or null when the path no longer leads to the inode given (0: not checked).
 * The namespaces are shared between up to four threads (no more than the CPUs), each
 * entering them in turn: one call for a whole host, instead of a socket, two setns and a
 * JavaScript round trip per namespace. Dumps take the kernel's RTNL lock, so two threads
 * gain less than twice (300 namespaces: 7.3 -> 5.0 ms, measured).
 */
static napi_value dump_namespaces(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) return throw_errno(env, "dumpNamespaces", EINVAL);
  uint32_t count = 0, inodeCount = 0, requestCount = 0;
  CHECK(napi_get_array_length(env, argv[0], &count));
  CHECK(napi_get_array_length(env, argv[1], &inodeCount));
  CHECK(napi_get_array_length(env, argv[2], &requestCount));
  if (inodeCount != count || requestCount == 0 || requestCount > 8) return throw_errno(env, "dumpNamespaces", EINVAL);
  int32_t timeout = 5000; CHECK(napi_get_value_int32(env, argv[4], &timeout));
  char rootPath[4096] = {0};
  int hasRoot = optional_path(env, argv[3], rootPath, sizeof rootPath);

  dump_job_t job = { 0 };
  job.requestCount = requestCount; job.timeout = timeout; job.rootFd = -1;
  size_t n = count ? count : 1;
  job.paths = calloc(n, sizeof *job.paths);
  job.inodes = calloc(n, sizeof *job.inodes);
  job.fds = calloc(n, sizeof *job.fds);
  job.stats = calloc(n, sizeof *job.stats);
  job.results = calloc(n, sizeof *job.results);
  job.errors = calloc(n, sizeof *job.errors);
  job.done = calloc(n, sizeof *job.done);
  job.steps = calloc(n, sizeof *job.steps);
  job.requests = calloc(requestCount, sizeof *job.requests);
  job.requestLengths = calloc(requestCount, sizeof *job.requestLengths);
  napi_value result = NULL;
  int bad = !job.paths || !job.inodes || !job.fds || !job.stats || !job.results || !job.errors || !job.done || !job.steps || !job.requests || !job.requestLengths;
  for (uint32_t r = 0; !bad && r < requestCount; r++) {
    napi_value v; void *data; size_t len;
    if (napi_get_element(env, argv[2], r, &v) != napi_ok || napi_get_buffer_info(env, v, &data, &len) != napi_ok || len < sizeof(struct nlmsghdr)) { bad = 1; break; }
    /* Copied: each exchange writes its sequence number into the request. */
    job.requests[r] = malloc(len);
    if (!job.requests[r]) { bad = 1; break; }
    memcpy(job.requests[r], data, len);
    job.requestLengths[r] = len;
  }
  for (uint32_t i = 0; !bad && i < count; i++) {
    napi_value v; napi_valuetype t;
    if (napi_get_element(env, argv[0], i, &v) != napi_ok || napi_typeof(env, v, &t) != napi_ok) { bad = 1; break; }
    if (t == napi_string) {
      size_t len;
      if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok || len >= 4096 || !(job.paths[i] = malloc(len + 1))) { bad = 1; break; }
      napi_get_value_string_utf8(env, v, job.paths[i], len + 1, &len);
    }
    if (napi_get_element(env, argv[1], i, &v) != napi_ok || napi_get_value_double(env, v, &job.inodes[i]) != napi_ok) { bad = 1; break; }
  }
  if (bad) { throw_errno(env, "dumpNamespaces", EINVAL); goto done; }

  /* Opened here, before any thread enters a namespace (see dump_range); unreadable: no nsids. */
  if (hasRoot) {
    job.rootFd = open(rootPath, O_RDONLY | O_CLOEXEC);
    if (job.rootFd >= 0 && fstat(job.rootFd, &job.rootStat) < 0) { close(job.rootFd); job.rootFd = -1; }
  }
  for (size_t start = 0; start < count; start += OPEN_AT_ONCE) dump_range(&job, start, start + OPEN_AT_ONCE < count ? start + OPEN_AT_ONCE : count);
  if (job.rootFd >= 0) close(job.rootFd);

  /* One Buffer for every reply, and per namespace its length in it (or what went wrong):
   * a Buffer per namespace cost a weak handle each, visited by every scavenge. */
  size_t total = 0;
  for (uint32_t i = 0; i < count; i++) if (!job.errors[i]) total += job.results[i].len;
  napi_value data, reads, out;
  char *dst;
  if (napi_create_buffer(env, total, (void **)&dst, &data) != napi_ok || napi_create_array_with_length(env, count, &reads) != napi_ok || napi_create_object(env, &out) != napi_ok) {
    napi_throw_error(env, NULL, "dumpNamespaces: out of memory");
    goto done;
  }
  for (uint32_t i = 0; i < count; i++) {
    napi_value v;
    if (job.errors[i] == DUMP_MOVED) napi_get_null(env, &v);
    else if (job.errors[i]) v = errno_error(env, job.steps[i] ? job.steps[i] : "dump", job.errors[i]);
    else {
      if (job.results[i].len) memcpy(dst, job.results[i].data, job.results[i].len);
      dst += job.results[i].len;
      napi_create_uint32(env, (uint32_t)job.results[i].len, &v);
    }
    napi_set_element(env, reads, i, v);
  }
  napi_set_named_property(env, out, "data", data);
  napi_set_named_property(env, out, "reads", reads);
  result = out;

done:
  for (uint32_t i = 0; i < count; i++) {
    if (job.paths) free(job.paths[i]);
    if (job.results) free(job.results[i].data);
  }
  for (uint32_t r = 0; job.requests && r < requestCount; r++) free(job.requests[r]);
  free(job.paths); free(job.inodes); free(job.fds); free(job.stats); free(job.results); free(job.errors); free(job.done); free(job.steps); free(job.requests); free(job.requestLengths);
  return result;
}

typedef struct {
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context ctx;
  int fd;
} watcher_t;

static void on_closed(uv_handle_t *h) { free(h->data); }

/* Drains every queued datagram, then calls back once: (overflowed: boolean, data: Buffer). */
static void on_readable(uv_poll_t *handle, int status, int events) {
  (void)events;
  watcher_t *w = handle->data;
  napi_env env = w->env;
  size_t cap = 1 << 16, len = 0;
  char *acc = malloc(cap);
  char buf[1 << 16];
  int overflow = status < 0;
  for (;;) {
    ssize_t n = recv(w->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) { overflow = 1; continue; } /* events were dropped: the caller must resync */
      break;
    }
    if (n == 0) break;
    while (len + (size_t)n > cap) { cap *= 2; acc = realloc(acc, cap); }
    memcpy(acc + len, buf, (size_t)n);
    len += (size_t)n;
  }
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value cb, recv_this, args[2], result; void *data;
  napi_get_reference_value(env, w->callback, &cb);
  napi_get_global(env, &recv_this); /* make_callback wants an object receiver */
  napi_get_boolean(env, overflow, &args[0]);
  napi_create_buffer_copy(env, len, acc, &data, &args[1]);
  free(acc);
  napi_make_callback(env, w->ctx, recv_this, cb, 2, args, &result);
  napi_close_handle_scope(env, scope);
}

/* watch(fd, callback): returns an external handle for unwatch(). */
static napi_value watch(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd; CHECK(napi_get_value_int32(env, argv[0], &fd));
  uv_loop_t *loop; CHECK(napi_get_uv_event_loop(env, &loop));
  watcher_t *w = calloc(1, sizeof *w);
  w->env = env; w->fd = fd;
  CHECK(napi_create_reference(env, argv[1], 1, &w->callback));
  napi_value name; CHECK(napi_create_string_utf8(env, "vethmap:netlink", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_async_init(env, NULL, name, &w->ctx));
  if (uv_poll_init(loop, &w->poll, fd) != 0) { free(w); return throw_errno(env, "uv_poll_init", EINVAL); }
  w->poll.data = w;
  uv_poll_start(&w->poll, UV_READABLE, on_readable);
  napi_value ext; CHECK(napi_create_external(env, w, NULL, NULL, &ext));
  return ext;
}

/* The mount table changed (POLLPRI on /proc/self/mountinfo): calls back with no arguments. */
static void on_mounts(uv_poll_t *handle, int status, int events) {
  (void)events;
  watcher_t *w = handle->data;
  if (status < 0) return; /* the file cannot be polled any more: the caller's safety net re-reads */
  napi_env env = w->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value cb, recv_this, result;
  napi_get_reference_value(env, w->callback, &cb);
  napi_get_global(env, &recv_this);
  napi_make_callback(env, w->ctx, recv_this, cb, 0, NULL, &result);
  napi_close_handle_scope(env, scope);
}

/*
 * watchMounts(callback): calls back whenever this mount namespace's mount table changes
 * (`ip netns add/del/attach` bind-mount or unmount a namespace; Docker mounts its sandboxes).
 * The kernel marks /proc/self/mountinfo with POLLERR|POLLPRI on every change and clears the
 * mark when polled, so one level-triggered poll sees each change once: no re-read needed.
 * Returns a handle for unwatch().
 */
static napi_value watch_mounts(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return throw_errno(env, "open /proc/self/mountinfo", errno);
  uv_loop_t *loop; CHECK(napi_get_uv_event_loop(env, &loop));
  watcher_t *w = calloc(1, sizeof *w);
  w->env = env; w->fd = fd;
  int rc = uv_poll_init(loop, &w->poll, fd);
  if (rc != 0) { close(fd); free(w); return throw_errno(env, "uv_poll_init", -rc); }
  CHECK(napi_create_reference(env, argv[0], 1, &w->callback));
  napi_value name; CHECK(napi_create_string_utf8(env, "vethmap:mounts", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_async_init(env, NULL, name, &w->ctx));
  w->poll.data = w;
  uv_poll_start(&w->poll, UV_PRIORITIZED, on_mounts);
  napi_value ext; CHECK(napi_create_external(env, w, NULL, NULL, &ext));
  return ext;
}

/* unwatch(handle): stops polling and closes the socket (which releases the namespace) or file. */
static napi_value unwatch(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  watcher_t *w; CHECK(napi_get_value_external(env, argv[0], (void **)&w));
  if (w->fd < 0) return NULL;
  uv_poll_stop(&w->poll);
  close(w->fd);
  w->fd = -1;
  napi_delete_reference(env, w->callback);
  napi_async_destroy(env, w->ctx);
  uv_close((uv_handle_t *)&w->poll, on_closed);
  return NULL;
}

static napi_value close_fd(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd; CHECK(napi_get_value_int32(env, argv[0], &fd));
  close(fd);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "openSocket", NULL, open_socket, NULL, NULL, NULL, napi_default, NULL },
    { "readFileIn", NULL, read_file_in, NULL, NULL, NULL, napi_default, NULL },
    { "request", NULL, request, NULL, NULL, NULL, napi_default, NULL },
    { "dumpNamespaces", NULL, dump_namespaces, NULL, NULL, NULL, napi_default, NULL },
    { "watch", NULL, watch, NULL, NULL, NULL, napi_default, NULL },
    { "watchMounts", NULL, watch_mounts, NULL, NULL, NULL, napi_default, NULL },
    { "unwatch", NULL, unwatch, NULL, NULL, NULL, napi_default, NULL },
    { "close", NULL, close_fd, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
