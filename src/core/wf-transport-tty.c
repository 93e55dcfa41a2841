/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-transport-tty.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "wf-common.h"
#include "wf-error.h"

/* Longest single poll(): even when the cancellable has no pollable fd, a
 * cancel is noticed within this time. */
#define WF_TRANSPORT_TTY_SLICE_MS 100

struct _WfTransportTty {
	GObject parent_instance;
	gchar *path;
	gint fd;
};

static void
wf_transport_tty_iface_init(WfTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(WfTransportTty,
			      wf_transport_tty,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(WF_TYPE_TRANSPORT, wf_transport_tty_iface_init))

static void
wf_transport_tty_set_open_error(WfTransportTty *self, int errsv, GError **error)
{
	switch (errsv) {
	case EACCES:
	case EPERM:
		g_set_error(
			error,
			WF_ERROR,
			WF_ERROR_PERMISSION_DENIED,
			"no permission to open %s: install data/70-wristflash.rules into "
			"/etc/udev/rules.d and plug the watch in again, or join the dialout group",
			self->path);
		return;
	case EBUSY:
	case EWOULDBLOCK:
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_BUSY,
			    "%s is busy: another program has it open",
			    self->path);
		return;
	case ENOENT:
	case ENODEV:
	case ENXIO:
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "%s does not exist (the watch may have reset or been unplugged)",
			    self->path);
		return;
	case EIO:
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_DEVICE_LOST,
			    "%s went away while it was being opened",
			    self->path);
		return;
	default: {
		g_autofree gchar *what = g_strdup_printf("cannot open %s", self->path);
		wf_error_convert_errno(error, errsv, what);
		return;
	}
	}
}

static gboolean
wf_transport_tty_configure(WfTransportTty *self, GError **error)
{
	struct termios tio;

	if (tcgetattr(self->fd, &tio) < 0) {
		wf_transport_tty_set_open_error(self, errno, error);
		return FALSE;
	}
	cfmakeraw(&tio);
	tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS | CSIZE);
	tio.c_cflag |= CS8 | CLOCAL | CREAD;
	tio.c_iflag &= ~(IXON | IXOFF | IXANY);
	/* timeouts come from poll(), never from the line discipline; VMIN 1
	 * makes an empty non-blocking read say EAGAIN, so that 0 can only
	 * mean a hangup (with VMIN 0 it would mean "nothing yet") */
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	/* cosmetic over USB (protocol.md §1.3) but what a UART needs */
	cfsetispeed(&tio, B115200);
	cfsetospeed(&tio, B115200);
	if (tcsetattr(self->fd, TCSANOW, &tio) < 0) {
		wf_transport_tty_set_open_error(self, errno, error);
		return FALSE;
	}
	/* bytes queued before we opened belong to somebody else's session */
	tcflush(self->fd, TCIFLUSH);
	return TRUE;
}

static gboolean
wf_transport_tty_open(WfTransport *transport, GError **error)
{
	WfTransportTty *self = WF_TRANSPORT_TTY(transport);

	if (self->fd >= 0)
		return TRUE;
	self->fd = open(self->path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (self->fd < 0) {
		wf_transport_tty_set_open_error(self, errno, error);
		return FALSE;
	}
	if (!isatty(self->fd)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_SUPPORTED,
			    "%s is not a serial port",
			    self->path);
		goto fail;
	}
	/* TIOCEXCL keeps ModemManager & co. out, but root bypasses it; the
	 * advisory lock also stops a second Wristflash, whoever runs it */
	if (ioctl(self->fd, TIOCEXCL) < 0 || flock(self->fd, LOCK_EX | LOCK_NB) < 0) {
		wf_transport_tty_set_open_error(self, errno, error);
		goto fail;
	}
	if (!wf_transport_tty_configure(self, error))
		goto fail;
	return TRUE;
fail:
	g_close(self->fd, NULL);
	self->fd = -1;
	return FALSE;
}

static gboolean
wf_transport_tty_close(WfTransport *transport, GError **error)
{
	WfTransportTty *self = WF_TRANSPORT_TTY(transport);

	if (self->fd < 0)
		return TRUE;
	/* the exclusive flag lives in the tty, not in our file description */
	(void)ioctl(self->fd, TIOCNXCL);
	g_close(self->fd, NULL);
	self->fd = -1;
	return TRUE;
}

static gboolean
wf_transport_tty_check_open(WfTransportTty *self, GError **error)
{
	if (self->fd >= 0)
		return TRUE;
	g_set_error(error, WF_ERROR, WF_ERROR_INTERNAL, "%s is not open", self->path);
	return FALSE;
}

/*
 * Waits until the fd reports @events, the deadline passes (*revents = 0) or
 * the cancellable fires. The cancellable's fd wakes poll() at once; the slice
 * limit is the fallback when it has none.
 */
static gboolean
wf_transport_tty_wait(WfTransportTty *self,
		      short events,
		      gint64 deadline_us,
		      short *revents,
		      GCancellable *cancellable,
		      GError **error)
{
	struct pollfd pfds[2] = {{.fd = self->fd, .events = events}};
	GPollFD cancel_pfd = {.fd = -1};
	nfds_t nfds = 1;
	gboolean ret = TRUE;

	if (cancellable != NULL && g_cancellable_make_pollfd(cancellable, &cancel_pfd)) {
		pfds[1].fd = cancel_pfd.fd;
		pfds[1].events = POLLIN;
		nfds = 2;
	}
	*revents = 0;
	for (;;) {
		gint64 remaining_us = deadline_us - g_get_monotonic_time();
		int timeout = remaining_us > 0 ? (int)((remaining_us + 999) / 1000) : 0;
		int rc;

		if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
			ret = FALSE;
			break;
		}
		rc = poll(pfds, nfds, MIN(timeout, WF_TRANSPORT_TTY_SLICE_MS));
		if (rc < 0 && errno != EINTR) {
			g_autofree gchar *what = g_strdup_printf("waiting for %s", self->path);
			wf_error_convert_errno(error, errno, what);
			ret = FALSE;
			break;
		}
		if (rc > 0 && pfds[0].revents != 0) {
			*revents = pfds[0].revents;
			break;
		}
		if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
			ret = FALSE;
			break;
		}
		if (timeout == 0)
			break;
	}
	if (nfds == 2)
		g_cancellable_release_fd(cancellable);
	return ret;
}

static gboolean
wf_transport_tty_read(WfTransport *transport,
		      guint8 *buf,
		      gsize bufsz,
		      gsize *actual,
		      guint timeout_ms,
		      GCancellable *cancellable,
		      GError **error)
{
	WfTransportTty *self = WF_TRANSPORT_TTY(transport);
	gint64 deadline_us = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	gboolean hung_up = FALSE;

	if (!wf_transport_tty_check_open(self, error))
		return FALSE;
	for (;;) {
		/* one read() takes everything the kernel has queued */
		gssize n = read(self->fd, buf, bufsz);
		short revents = 0;

		if (n > 0) {
			*actual = (gsize)n;
			return TRUE;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			if (n == 0 || wf_common_errno_is_device_lost(errno, FALSE)) {
				wf_common_set_device_lost(error, self->path);
				return FALSE;
			}
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_READ,
				    "reading %s failed: %s",
				    self->path,
				    g_strerror(errno));
			return FALSE;
		}
		if (errno == EINTR)
			continue;
		if (hung_up) {
			wf_common_set_device_lost(error, self->path);
			return FALSE;
		}
		if (!wf_transport_tty_wait(self, POLLIN, deadline_us, &revents, cancellable, error))
			return FALSE;
		if (revents == 0) {
			wf_common_set_read_timeout(error, self->path, timeout_ms);
			return FALSE;
		}
		if (revents & (POLLHUP | POLLERR | POLLNVAL))
			hung_up = TRUE;
	}
}

static gboolean
wf_transport_tty_write(WfTransport *transport,
		       const guint8 *buf,
		       gsize bufsz,
		       guint timeout_ms,
		       GCancellable *cancellable,
		       GError **error)
{
	WfTransportTty *self = WF_TRANSPORT_TTY(transport);
	gint64 deadline_us = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	gsize done = 0;

	if (!wf_transport_tty_check_open(self, error))
		return FALSE;
	while (done < bufsz) {
		gssize n = write(self->fd, buf + done, bufsz - done);
		short revents = 0;

		if (n > 0) {
			done += (gsize)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			if (wf_common_errno_is_device_lost(errno, TRUE)) {
				wf_common_set_device_lost(error, self->path);
				return FALSE;
			}
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_WRITE,
				    "writing to %s failed: %s",
				    self->path,
				    g_strerror(errno));
			return FALSE;
		}
		if (!wf_transport_tty_wait(
			    self, POLLOUT, deadline_us, &revents, cancellable, error))
			return FALSE;
		if (revents == 0) {
			wf_common_set_write_timeout(error, self->path, timeout_ms, done, bufsz);
			return FALSE;
		}
		if ((revents & (POLLHUP | POLLERR | POLLNVAL)) && !(revents & POLLOUT)) {
			wf_common_set_device_lost(error, self->path);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
wf_transport_tty_discard_input(WfTransport *transport, GError **error)
{
	WfTransportTty *self = WF_TRANSPORT_TTY(transport);

	if (!wf_transport_tty_check_open(self, error))
		return FALSE;
	if (tcflush(self->fd, TCIFLUSH) < 0) {
		if (errno == EIO) {
			wf_common_set_device_lost(error, self->path);
			return FALSE;
		}
		g_autofree gchar *what = g_strdup_printf("discarding input of %s", self->path);
		wf_error_convert_errno(error, errno, what);
		return FALSE;
	}
	return TRUE;
}

static const gchar *
wf_transport_tty_get_path(WfTransport *transport)
{
	return WF_TRANSPORT_TTY(transport)->path;
}

static void
wf_transport_tty_iface_init(WfTransportInterface *iface)
{
	iface->open = wf_transport_tty_open;
	iface->close = wf_transport_tty_close;
	iface->read = wf_transport_tty_read;
	iface->write = wf_transport_tty_write;
	iface->discard_input = wf_transport_tty_discard_input;
	iface->get_path = wf_transport_tty_get_path;
}

static void
wf_transport_tty_finalize(GObject *object)
{
	WfTransportTty *self = WF_TRANSPORT_TTY(object);

	wf_transport_tty_close(WF_TRANSPORT(self), NULL);
	g_free(self->path);
	G_OBJECT_CLASS(wf_transport_tty_parent_class)->finalize(object);
}

static void
wf_transport_tty_class_init(WfTransportTtyClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_transport_tty_finalize;
}

static void
wf_transport_tty_init(WfTransportTty *self)
{
	self->fd = -1;
}

/**
 * wf_transport_tty_new:
 * @path: a tty device, e.g. "/dev/pts/3"
 *
 * Returns: (transfer full): a closed transport; wf_transport_open() opens it
 */
WfTransportTty *
wf_transport_tty_new(const gchar *path)
{
	WfTransportTty *self;

	g_return_val_if_fail(path != NULL, NULL);
	self = g_object_new(WF_TYPE_TRANSPORT_TTY, NULL);
	self->path = g_strdup(path);
	return self;
}

/**
 * wf_transport_tty_get_fd:
 * @self: a #WfTransportTty
 *
 * Returns: the file descriptor, or -1 when closed
 */
gint
wf_transport_tty_get_fd(WfTransportTty *self)
{
	g_return_val_if_fail(WF_IS_TRANSPORT_TTY(self), -1);
	return self->fd;
}
