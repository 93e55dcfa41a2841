/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-error.h"

#include <errno.h>

/* the quark name is a string, not an expression */
/* clang-format off */
G_DEFINE_QUARK(wf-error-quark, wf_error)
/* clang-format on */

/**
 * wf_error_to_string:
 * @error: a #WfError
 *
 * Returns: a stable machine-readable name, used in `--json` output.
 */
const gchar *
wf_error_to_string(WfError error)
{
	static const gchar *names[] = {
		[WF_ERROR_INTERNAL] = "internal",
		[WF_ERROR_NOT_SUPPORTED] = "not-supported",
		[WF_ERROR_NOT_FOUND] = "not-found",
		[WF_ERROR_PERMISSION_DENIED] = "permission-denied",
		[WF_ERROR_BUSY] = "busy",
		[WF_ERROR_TIMED_OUT] = "timed-out",
		[WF_ERROR_READ] = "read",
		[WF_ERROR_WRITE] = "write",
		[WF_ERROR_PROTOCOL] = "protocol",
		[WF_ERROR_DEVICE_STATUS] = "device-status",
		[WF_ERROR_INVALID_FILE] = "invalid-file",
		[WF_ERROR_INVALID_DATA] = "invalid-data",
		[WF_ERROR_VERIFY_FAILED] = "verify-failed",
		[WF_ERROR_DEVICE_LOST] = "device-lost",
		[WF_ERROR_EXISTS] = "exists",
		[WF_ERROR_REFUSED] = "refused",
	};
	if ((guint)error >= G_N_ELEMENTS(names) || names[error] == NULL)
		return "unknown";
	return names[error];
}

static WfError
wf_error_code_from_errno(int errsv)
{
	switch (errsv) {
	case EACCES:
	case EPERM:
		return WF_ERROR_PERMISSION_DENIED;
	case EBUSY:
		return WF_ERROR_BUSY;
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return WF_ERROR_NOT_FOUND;
	case EIO:
	case EPIPE:
		return WF_ERROR_DEVICE_LOST;
	case ETIMEDOUT:
		return WF_ERROR_TIMED_OUT;
	default:
		return WF_ERROR_INTERNAL;
	}
}

/**
 * wf_error_convert_errno:
 * @error: (out): return location
 * @errsv: an errno value
 * @what: what was being done, e.g. "open /dev/ttyACM0"
 *
 * Sets @error from an errno value, choosing the closest #WfError code.
 */
void
wf_error_convert_errno(GError **error, int errsv, const gchar *what)
{
	g_set_error(error,
		    WF_ERROR,
		    wf_error_code_from_errno(errsv),
		    "%s: %s",
		    what,
		    g_strerror(errsv));
}

/**
 * wf_error_from_sp_return:
 * @ret: a libserialport return code
 * @what: what was being done
 * @error: (out): return location
 *
 * libserialport reports failures through a return code plus a thread-global
 * message; this converts both into one #GError, once, for every caller.
 *
 * Returns: %TRUE if @ret is not an error.
 */
gboolean
wf_error_from_sp_return(enum sp_return ret, const gchar *what, GError **error)
{
	g_autofree gchar *msg = NULL;
	int errsv = errno;

	if (ret >= SP_OK)
		return TRUE;
	switch (ret) {
	case SP_ERR_ARG:
		g_set_error(error, WF_ERROR, WF_ERROR_INTERNAL, "%s: invalid argument", what);
		return FALSE;
	case SP_ERR_MEM:
		g_set_error(error, WF_ERROR, WF_ERROR_INTERNAL, "%s: out of memory", what);
		return FALSE;
	case SP_ERR_SUPP:
		g_set_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED, "%s: not supported", what);
		return FALSE;
	case SP_ERR_FAIL:
	default:
		msg = sp_last_error_message();
		g_set_error(error,
			    WF_ERROR,
			    wf_error_code_from_errno(errsv),
			    "%s: %s",
			    what,
			    msg != NULL ? msg : "unknown error");
		if (msg != NULL) {
			sp_free_error_message(msg);
			msg = NULL;
		}
		return FALSE;
	}
}
