/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* USB identity of the MediaTek boot-ROM download port (protocol.md §1.1). */
#define WF_PORT_BOOT_ROM_VID 0x0e8d
#define WF_PORT_BOOT_ROM_PID 0x0003

/**
 * WfPortHolder:
 * @pid: the process id
 * @name: the process name (from `comm`)
 * @is_modem_manager: %TRUE if this is ModemManager, whose AT-command probing
 *   corrupts the boot-ROM handshake
 *
 * A process that has a serial port open.
 */
typedef struct {
	guint pid;
	gchar *name;
	gboolean is_modem_manager;
} WfPortHolder;

WfPortHolder *
wf_port_holder_new(guint pid, const gchar *name);
void
wf_port_holder_free(WfPortHolder *holder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfPortHolder, wf_port_holder_free)

#define WF_TYPE_PORT_INFO (wf_port_info_get_type())
G_DECLARE_FINAL_TYPE(WfPortInfo, wf_port_info, WF, PORT_INFO, GObject)

/*
 * One serial port that could be a watch: where it is, what USB device is
 * behind it, and who else has it open. A plain value object; the enumerator
 * and the monitor fill it in.
 */

WfPortInfo *
wf_port_info_new(const gchar *path);

const gchar *
wf_port_info_get_path(WfPortInfo *self);
const gchar *
wf_port_info_get_by_id_path(WfPortInfo *self);
void
wf_port_info_set_by_id_path(WfPortInfo *self, const gchar *by_id_path);
gboolean
wf_port_info_has_usb_ids(WfPortInfo *self);
guint16
wf_port_info_get_vid(WfPortInfo *self);
guint16
wf_port_info_get_pid(WfPortInfo *self);
void
wf_port_info_set_usb_ids(WfPortInfo *self, guint16 vid, guint16 pid);
gboolean
wf_port_info_is_boot_rom(WfPortInfo *self);
const gchar *
wf_port_info_get_serial(WfPortInfo *self);
void
wf_port_info_set_serial(WfPortInfo *self, const gchar *serial);
const gchar *
wf_port_info_get_manufacturer(WfPortInfo *self);
void
wf_port_info_set_manufacturer(WfPortInfo *self, const gchar *manufacturer);
const gchar *
wf_port_info_get_product(WfPortInfo *self);
void
wf_port_info_set_product(WfPortInfo *self, const gchar *product);
const gchar *
wf_port_info_get_driver(WfPortInfo *self);
void
wf_port_info_set_driver(WfPortInfo *self, const gchar *driver);
const gchar *
wf_port_info_get_description(WfPortInfo *self);
void
wf_port_info_set_description(WfPortInfo *self, const gchar *description);

GPtrArray *
wf_port_info_get_holders(WfPortInfo *self);
void
wf_port_info_add_holder(WfPortInfo *self, guint pid, const gchar *name);
gboolean
wf_port_info_is_held_by_modem_manager(WfPortInfo *self);
gchar *
wf_port_info_describe_holders(WfPortInfo *self);
gboolean
wf_port_info_refresh_holders(WfPortInfo *self, GError **error);

gboolean
wf_port_info_equal(WfPortInfo *a, WfPortInfo *b);
gchar *
wf_port_info_to_string(WfPortInfo *self);
JsonNode *
wf_port_info_to_json(WfPortInfo *self);

/* shared helpers for the files that look at /proc */
const gchar *
wf_port_info_get_proc_dir(void);
gboolean
wf_port_info_find_holders(GPtrArray *infos, GError **error);
guint
wf_port_info_find_process(const gchar *comm, gboolean *proc_readable);

G_END_DECLS
