/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wf-port-info.h"

G_BEGIN_DECLS

#define WF_TYPE_PORT_ENUMERATOR (wf_port_enumerator_get_type())
G_DECLARE_FINAL_TYPE(WfPortEnumerator, wf_port_enumerator, WF, PORT_ENUMERATOR, GObject)

/*
 * Lists the serial ports that could be a watch: USB serial ports from
 * libserialport plus every /dev/ttyACM* and /dev/ttyUSB*, with USB identity
 * and driver read from sysfs and the processes holding each port.
 *
 * $WF_DEV_DIR and $WF_SYSFS_DIR (or the setters) replace /dev and /sys, so
 * tests can build a fake tree; libserialport only knows the real ones, so it
 * is not asked while either is overridden.
 */

WfPortEnumerator *
wf_port_enumerator_new(void);
void
wf_port_enumerator_set_dev_dir(WfPortEnumerator *self, const gchar *dev_dir);
const gchar *
wf_port_enumerator_get_dev_dir(WfPortEnumerator *self);
void
wf_port_enumerator_set_sysfs_dir(WfPortEnumerator *self, const gchar *sysfs_dir);
void
wf_port_enumerator_set_use_libserialport(WfPortEnumerator *self, gboolean use_libserialport);
void
wf_port_enumerator_set_find_holders(WfPortEnumerator *self, gboolean find_holders);

GPtrArray *
wf_port_enumerator_list(WfPortEnumerator *self, GError **error);
WfPortInfo *
wf_port_enumerator_probe(WfPortEnumerator *self, const gchar *path, GError **error);
gboolean
wf_port_enumerator_is_candidate_name(const gchar *path);

G_END_DECLS
