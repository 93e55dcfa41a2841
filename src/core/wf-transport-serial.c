/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-transport-serial.h"

#include <errno.h>
#include <fcntl.h>
#include <libserialport.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wf-common.h"
#include "wf-error.h"

/* libserialport blocks inside its own calls; slicing them keeps a cancel
 * (and an unplug) noticed within this time */
#define WF_TRANSPORT_SERIAL_SLICE_MS 100

struct _WfTransportSerial {
	GObject parent_instance;
	gchar *path;
	struct sp_port *port;
	gint fd;
};

static void
wf_transport_serial_iface_init(WfTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(WfTransportSerial,
			      wf_transport_serial,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(WF_TYPE_TRANSPORT,
						    wf_transport_serial_iface_init))

static gboolean
wf_transport_serial_sp(WfTransportSerial *self,
		       enum sp_return ret,
		       const gchar *what,
		       GError **error)
{
	g_autofree gchar *msg = NULL;

	if (ret >= SP_OK)
		return TRUE;
	msg = g_strdup_printf("%s %s", what, self->path);
	return wf_error_from_sp_return(ret, msg, error);
}

/* Gives the open errors the same plain wording as WfTransportTty. */
static void
wf_transport_serial_explain_open_error(WfTransportSerial *self, GError *error)
{
	const gchar *hint = NULL;

	if (error->domain != WF_ERROR)
		return;
	switch (error->code) {
	case WF_ERROR_PERMISSION_DENIED:
		hint = "install data/70-wristflash.rules into /etc/udev/rules.d and plug the "
		       "watch in again, or join the dialout group";
		break;
	case WF_ERROR_BUSY:
		hint = "another program has it open";
		break;
	case WF_ERROR_NOT_FOUND:
		hint = "the watch may have reset or been unplugged";
		break;
	default:
		return;
	}
	{
		gchar *msg = g_strdup_printf("%s (%s)", error->message, hint);
		g_free(error->message);
		error->message = msg;
	}
}

static gboolean
wf_transport_serial_take_fd(WfTransportSerial *self, GError **error)
{
	int flags;

	if (!wf_transport_serial_sp(self,
				    sp_get_port_handle(self->port, &self->fd),
				    "cannot get the handle of",
				    error))
		return FALSE;
	/* 0.1.1 opens neither exclusively nor close-on-exec; the flock also
	 * keeps out a second Wristflash running as root, which TIOCEXCL does not */
	if (ioctl(self->fd, TIOCEXCL) < 0 || flock(self->fd, LOCK_EX | LOCK_NB) < 0) {
		int errsv = errno == EWOULDBLOCK ? EBUSY : errno;
		g_autofree gchar *what = g_strdup_printf("cannot lock %s", self->path);
		wf_error_convert_errno(error, errsv, what);
		return FALSE;
	}
	flags = fcntl(self->fd, F_GETFD);
	if (flags < 0 || fcntl(self->fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
		g_autofree gchar *what = g_strdup_printf("cannot configure %s", self->path);
		wf_error_convert_errno(error, errno, what);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_transport_serial_configure(WfTransportSerial *self, GError **error)
{
	if (!wf_transport_serial_sp(self,
				    sp_set_baudrate(self->port, 115200),
				    "cannot set the baud rate of",
				    error))
		return FALSE;
	if (!wf_transport_serial_sp(self, sp_set_bits(self->port, 8), "cannot configure", error))
		return FALSE;
	if (!wf_transport_serial_sp(
		    self, sp_set_parity(self->port, SP_PARITY_NONE), "cannot configure", error))
		return FALSE;
	if (!wf_transport_serial_sp(
		    self, sp_set_stopbits(self->port, 1), "cannot configure", error))
		return FALSE;
	if (!wf_transport_serial_sp(self,
				    sp_set_flowcontrol(self->port, SP_FLOWCONTROL_NONE),
				    "cannot configure",
				    error))
		return FALSE;
	return wf_transport_serial_sp(
		self, sp_flush(self->port, SP_BUF_INPUT), "cannot flush", error);
}

static void
wf_transport_serial_free_port(WfTransportSerial *self)
{
	if (self->port == NULL)
		return;
	if (self->fd >= 0) {
		(void)ioctl(self->fd, TIOCNXCL);
		sp_close(self->port);
	}
	sp_free_port(self->port);
	self->port = NULL;
	self->fd = -1;
}

static gboolean
wf_transport_serial_open(WfTransport *transport, GError **error)
{
	WfTransportSerial *self = WF_TRANSPORT_SERIAL(transport);
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *real = NULL;

	if (self->port != NULL)
		return TRUE;
	/* 0.1.1 looks the name up in sysfs without following symlinks */
	real = realpath(self->path, NULL);
	if (real == NULL) {
		g_autofree gchar *what = g_strdup_printf("cannot open %s", self->path);
		wf_error_convert_errno(&error_local, errno, what);
		goto fail;
	}
	if (!wf_transport_serial_sp(
		    self, sp_get_port_by_name(real, &self->port), "cannot find", &error_local))
		goto fail;
	if (!wf_transport_serial_sp(
		    self, sp_open(self->port, SP_MODE_READ_WRITE), "cannot open", &error_local)) {
		sp_free_port(self->port);
		self->port = NULL;
		goto fail;
	}
	if (!wf_transport_serial_take_fd(self, &error_local) ||
	    !wf_transport_serial_configure(self, &error_local)) {
		wf_transport_serial_free_port(self);
		goto fail;
	}
	return TRUE;
fail:
	wf_transport_serial_explain_open_error(self, error_local);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

static gboolean
wf_transport_serial_close(WfTransport *transport, GError **error)
{
	wf_transport_serial_free_port(WF_TRANSPORT_SERIAL(transport));
	return TRUE;
}

static gboolean
wf_transport_serial_check(WfTransportSerial *self, GCancellable *cancellable, GError **error)
{
	struct pollfd pfd = {.fd = self->fd, .events = 0};

	if (self->port == NULL) {
		g_set_error(error, WF_ERROR, WF_ERROR_INTERNAL, "%s is not open", self->path);
		return FALSE;
	}
	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	/* 0.1.1 spins until its timeout on a vanished port; ask the kernel */
	if (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))) {
		wf_common_set_device_lost(error, self->path);
		return FALSE;
	}
	return TRUE;
}

static guint
wf_transport_serial_slice(gint64 deadline_us)
{
	gint64 remaining_us = deadline_us - g_get_monotonic_time();

	if (remaining_us <= 0)
		return 0;
	return (guint)MIN((remaining_us + 999) / 1000, WF_TRANSPORT_SERIAL_SLICE_MS);
}

static gboolean
wf_transport_serial_read(WfTransport *transport,
			 guint8 *buf,
			 gsize bufsz,
			 gsize *actual,
			 guint timeout_ms,
			 GCancellable *cancellable,
			 GError **error)
{
	WfTransportSerial *self = WF_TRANSPORT_SERIAL(transport);
	gint64 deadline_us = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	for (;;) {
		guint slice;
		enum sp_return ret;

		if (!wf_transport_serial_check(self, cancellable, error))
			return FALSE;
		slice = wf_transport_serial_slice(deadline_us);
		/* a timeout of 0 means "forever" to libserialport */
		if (slice == 0)
			ret = sp_nonblocking_read(self->port, buf, bufsz);
		else
			ret = sp_blocking_read_next(self->port, buf, bufsz, slice);
		if (ret < 0) {
			if (wf_common_errno_is_device_lost(errno, FALSE)) {
				wf_common_set_device_lost(error, self->path);
				return FALSE;
			}
			return wf_transport_serial_sp(self, ret, "cannot read from", error);
		}
		if (ret > 0) {
			*actual = (gsize)ret;
			return TRUE;
		}
		if (slice == 0) {
			wf_common_set_read_timeout(error, self->path, timeout_ms);
			return FALSE;
		}
	}
}

static gboolean
wf_transport_serial_write(WfTransport *transport,
			  const guint8 *buf,
			  gsize bufsz,
			  guint timeout_ms,
			  GCancellable *cancellable,
			  GError **error)
{
	WfTransportSerial *self = WF_TRANSPORT_SERIAL(transport);
	gint64 deadline_us = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	gsize done = 0;

	while (done < bufsz) {
		guint slice;
		enum sp_return ret;

		if (!wf_transport_serial_check(self, cancellable, error))
			return FALSE;
		slice = wf_transport_serial_slice(deadline_us);
		if (slice == 0)
			ret = sp_nonblocking_write(self->port, buf + done, bufsz - done);
		else
			ret = sp_blocking_write(self->port, buf + done, bufsz - done, slice);
		if (ret < 0) {
			if (wf_common_errno_is_device_lost(errno, TRUE)) {
				wf_common_set_device_lost(error, self->path);
				return FALSE;
			}
			return wf_transport_serial_sp(self, ret, "cannot write to", error);
		}
		done += (gsize)ret;
		if (done < bufsz && slice == 0) {
			wf_common_set_write_timeout(error, self->path, timeout_ms, done, bufsz);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
wf_transport_serial_discard_input(WfTransport *transport, GError **error)
{
	WfTransportSerial *self = WF_TRANSPORT_SERIAL(transport);

	if (!wf_transport_serial_check(self, NULL, error))
		return FALSE;
	return wf_transport_serial_sp(
		self, sp_flush(self->port, SP_BUF_INPUT), "cannot flush", error);
}

static const gchar *
wf_transport_serial_get_path(WfTransport *transport)
{
	return WF_TRANSPORT_SERIAL(transport)->path;
}

static void
wf_transport_serial_iface_init(WfTransportInterface *iface)
{
	iface->open = wf_transport_serial_open;
	iface->close = wf_transport_serial_close;
	iface->read = wf_transport_serial_read;
	iface->write = wf_transport_serial_write;
	iface->discard_input = wf_transport_serial_discard_input;
	iface->get_path = wf_transport_serial_get_path;
}

static void
wf_transport_serial_finalize(GObject *object)
{
	WfTransportSerial *self = WF_TRANSPORT_SERIAL(object);

	wf_transport_serial_free_port(self);
	g_free(self->path);
	G_OBJECT_CLASS(wf_transport_serial_parent_class)->finalize(object);
}

static void
wf_transport_serial_class_init(WfTransportSerialClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_transport_serial_finalize;
}

static void
wf_transport_serial_init(WfTransportSerial *self)
{
	self->fd = -1;
}

/**
 * wf_transport_serial_new:
 * @path: a serial device or a symlink to one
 *
 * Returns: (transfer full): a closed transport; wf_transport_open() opens it
 */
WfTransportSerial *
wf_transport_serial_new(const gchar *path)
{
	WfTransportSerial *self;

	g_return_val_if_fail(path != NULL, NULL);
	self = g_object_new(WF_TYPE_TRANSPORT_SERIAL, NULL);
	self->path = g_strdup(path);
	return self;
}
