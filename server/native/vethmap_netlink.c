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
#include <sys/socket.h>
#include <linux/netlink.h>

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, #call " failed"); return NULL; } } while (0)

static napi_value throw_errno(napi_env env, const char *what, int err) {
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
  napi_throw(env, error);
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
    { "watch", NULL, watch, NULL, NULL, NULL, napi_default, NULL },
    { "watchMounts", NULL, watch_mounts, NULL, NULL, NULL, napi_default, NULL },
    { "unwatch", NULL, unwatch, NULL, NULL, NULL, napi_default, NULL },
    { "close", NULL, close_fd, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
