/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libserialport.h>

G_BEGIN_DECLS

#define WF_ERROR wf_error_quark()

/**
 * WfError:
 *
 * Error codes of the Wristflash core. Cancellation is always reported as
 * %G_IO_ERROR_CANCELLED, never with this domain.
 */
typedef enum {
	WF_ERROR_INTERNAL,	    /* a bug in Wristflash */
	WF_ERROR_NOT_SUPPORTED,	    /* the watch, file or host cannot do this */
	WF_ERROR_NOT_FOUND,	    /* no port, file or entry of that name */
	WF_ERROR_PERMISSION_DENIED, /* the user may not open the port or file */
	WF_ERROR_BUSY,		    /* another program holds the port */
	WF_ERROR_TIMED_OUT,	    /* the watch did not answer in time */
	WF_ERROR_READ,		    /* reading from the port or a file failed */
	WF_ERROR_WRITE,		    /* writing to the port or a file failed */
	WF_ERROR_PROTOCOL,	    /* the watch answered something unexpected */
	WF_ERROR_DEVICE_STATUS,	    /* the watch answered with an error status */
	WF_ERROR_INVALID_FILE,	    /* a file is not what it claims to be */
	WF_ERROR_INVALID_DATA,	    /* a value is out of range or inconsistent */
	WF_ERROR_VERIFY_FAILED,	    /* data read back differs from what it should be */
	WF_ERROR_DEVICE_LOST,	    /* the port vanished (unplugged, watch reset) */
	WF_ERROR_EXISTS,	    /* refusing to overwrite something */
	WF_ERROR_REFUSED,	    /* a safety rule forbids this operation */
	WF_ERROR_LAST
} WfError;

GQuark
wf_error_quark(void);
const gchar *
wf_error_to_string(WfError error);
gboolean
wf_error_from_sp_return(enum sp_return ret, const gchar *what, GError **error);
void
wf_error_convert_errno(GError **error, int errsv, const gchar *what);

G_END_DECLS
