/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wf-job.h"

G_BEGIN_DECLS

#define WF_TYPE_WATCH_PAGE (wf_watch_page_get_type())
G_DECLARE_FINAL_TYPE(WfWatchPage, wf_watch_page, WF, WATCH_PAGE, AdwBin)

/* the live steps of catching a watch, in order */
typedef enum {
	WF_WATCH_STEP_PORT,	 /* waiting for / found the boot-ROM port */
	WF_WATCH_STEP_HANDSHAKE, /* the boot ROM's start sequence */
	WF_WATCH_STEP_IDENTIFY,	 /* reading chip, flash and ME ID */
	WF_WATCH_STEP_LAST
} WfWatchStep;

/* what the connected card shows; every string already for display */
typedef struct {
	gchar *title;	 /* "MT6261DA watch" */
	gchar *subtitle; /* "Connected through /dev/ttyACM0" */
	gchar *chip;
	gchar *flash; /* part name and JEDEC id */
	gchar *size;
	gchar *me_id;
} WfWatchSummary;

void
wf_watch_summary_clear(WfWatchSummary *summary);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(WfWatchSummary, wf_watch_summary_clear)

GtkWidget *
wf_watch_page_new(void);
void
wf_watch_page_show_waiting(WfWatchPage *self, gboolean listening);
void
wf_watch_page_show_connecting(WfWatchPage *self, WfWatchStep step, const gchar *detail);
void
wf_watch_page_show_connected(WfWatchPage *self, const WfWatchSummary *summary);
void
wf_watch_page_show_error(WfWatchPage *self, const GError *error);
void
wf_watch_page_set_backup_state(WfWatchPage *self,
			       gboolean have_backup,
			       const gchar *title,
			       const gchar *subtitle);
void
wf_watch_page_set_job(WfWatchPage *self, WfJob *job);
void
wf_watch_page_set_identity(WfWatchPage *self,
			   const gchar *firmware,
			   const gchar *model,
			   const gchar *evidence);
const gchar *
wf_watch_page_get_view(WfWatchPage *self);

gchar *
wf_watch_page_format_progress(guint64 done, guint64 total, gdouble rate, const gchar *message);
gchar *
wf_watch_page_format_error_details(const GError *error);
void
wf_watch_page_describe_error(const GError *error, gchar **title, gchar **fix_markup);

G_END_DECLS
