/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-port-enumerator.h"

G_BEGIN_DECLS

/*
 * Checks the host for what stops a watch from being caught on Linux
 * (users.md §2.8): ModemManager, the udev rule, group membership, the
 * boot-ROM port's permissions and holders, brltty. Each check has a verdict,
 * a detail sentence and, unless all is well, a fix.
 *
 * Overrides for tests: $WF_UDEV_RULES_DIRS (colon-separated directories),
 * $WF_PROC_DIR (the process table), $DBUS_SYSTEM_BUS_ADDRESS (GIO's own).
 */

/* ordered by severity: the doctor's verdict is the worst of its checks */
typedef enum {
	WF_HOST_CHECK_VERDICT_OK,
	WF_HOST_CHECK_VERDICT_INFO,    /* worth knowing, nothing to do */
	WF_HOST_CHECK_VERDICT_WARNING, /* may get in the way */
	WF_HOST_CHECK_VERDICT_PROBLEM, /* will get in the way: fix it first */
} WfHostCheckVerdict;

typedef struct {
	gchar *id; /* stable: "modem-manager", "udev-rule", "groups", "boot-rom-port", "brltty" */
	gchar *title;
	WfHostCheckVerdict verdict;
	gchar *detail;
	gchar *fix; /* nullable */
} WfHostCheck;

void
wf_host_check_free(WfHostCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfHostCheck, wf_host_check_free)
const gchar *
wf_host_check_verdict_to_string(WfHostCheckVerdict verdict);

#define WF_TYPE_HOST_DOCTOR (wf_host_doctor_get_type())
G_DECLARE_FINAL_TYPE(WfHostDoctor, wf_host_doctor, WF, HOST_DOCTOR, GObject)

WfHostDoctor *
wf_host_doctor_new(void);
void
wf_host_doctor_set_rules_dirs(WfHostDoctor *self, const gchar *const *dirs);
void
wf_host_doctor_set_enumerator(WfHostDoctor *self, WfPortEnumerator *enumerator);
gboolean
wf_host_doctor_run(WfHostDoctor *self, GCancellable *cancellable, GError **error);
GPtrArray *
wf_host_doctor_get_checks(WfHostDoctor *self);
WfHostCheck *
wf_host_doctor_get_check(WfHostDoctor *self, const gchar *id);
WfHostCheckVerdict
wf_host_doctor_get_verdict(WfHostDoctor *self);
JsonNode *
wf_host_doctor_to_json(WfHostDoctor *self);

G_END_DECLS
