/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-transport-factory.h"

#include <errno.h>
#include <stdlib.h>

#include "wf-error.h"
#include "wf-transport-serial.h"
#include "wf-transport-tty.h"

/*
 * libserialport 0.1.1 refuses any tty without a /sys/class/tty/NAME/device
 * node (ptys, some virtual ports), so those get plain termios instead.
 */
static gboolean
wf_transport_path_has_sysfs_device(const gchar *real)
{
	g_autofree gchar *name = g_path_get_basename(real);
	g_autofree gchar *node = g_build_filename("/sys/class/tty", name, "device", NULL);

	return g_file_test(node, G_FILE_TEST_EXISTS);
}

/**
 * wf_transport_new_for_path:
 * @path: a serial device, a symlink to one, or a pty
 * @error: (out): return location
 *
 * Opens @path with the transport that suits it: #WfTransportSerial for real
 * serial ports, #WfTransportTty for ptys and ttys that have no sysfs node.
 * Errors are %WF_ERROR_NOT_FOUND, %WF_ERROR_BUSY, %WF_ERROR_PERMISSION_DENIED
 * or %WF_ERROR_DEVICE_LOST, each naming the path.
 *
 * Returns: (transfer full): an open transport, or %NULL
 */
WfTransport *
wf_transport_new_for_path(const gchar *path, GError **error)
{
	g_autoptr(WfTransport) transport = NULL;
	g_autofree gchar *real = NULL;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	real = realpath(path, NULL);
	if (real == NULL) {
		int errsv = errno;
		if (errsv == ENOENT || errsv == ENOTDIR) {
			g_set_error(
				error,
				WF_ERROR,
				WF_ERROR_NOT_FOUND,
				"%s does not exist (the watch may have reset or been unplugged)",
				path);
		} else {
			g_autofree gchar *what = g_strdup_printf("cannot open %s", path);
			wf_error_convert_errno(error, errsv, what);
		}
		return NULL;
	}
	if (wf_transport_path_has_sysfs_device(real))
		transport = WF_TRANSPORT(wf_transport_serial_new(path));
	else
		transport = WF_TRANSPORT(wf_transport_tty_new(path));
	if (!wf_transport_open(transport, error))
		return NULL;
	return g_steal_pointer(&transport);
}
