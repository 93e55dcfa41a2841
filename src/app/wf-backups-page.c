/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-backups-page.h"

#include <glib/gi18n.h>

#include "wf-a11y.h"
#include "wf-application.h"
#include "wf-backup-row.h"

/* a deletion the user can still undo: the folder stays on disk until its
 * toast goes away */
typedef struct {
	WfBackupsPage *page; /* unowned; cleared when the page goes first */
	GtkWidget *row;
	gchar *dir;
	gboolean undone;
	gboolean done;
} WfPendingDeletion;

struct _WfBackupsPage {
	AdwBin parent_instance;
	GtkStack *stack;
	AdwStatusPage *empty_status;
	GtkLabel *folder_label;
	GtkBox *groups_box;
	gchar *folder;
	GPtrArray *backups; /* of WfBackup, newest first */
	GPtrArray *rows;    /* of WfBackupRow, unowned */
	GPtrArray *groups;  /* of AdwPreferencesGroup, unowned */
	GPtrArray *pending; /* of WfPendingDeletion */
};

enum { SIGNAL_CHANGED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

G_DEFINE_FINAL_TYPE(WfBackupsPage, wf_backups_page, ADW_TYPE_BIN)

static void
wf_pending_deletion_clear(gpointer data)
{
	WfPendingDeletion *pending = data;

	g_clear_object(&pending->row);
	g_free(pending->dir);
}

/* shared by the page's list and the toast: whichever goes last frees it */
static void
wf_pending_deletion_release(gpointer data)
{
	g_rc_box_release_full(data, wf_pending_deletion_clear);
}

/**
 * wf_delete_recursive:
 *
 * Deletes a file or a folder with everything in it.
 */
gboolean
wf_delete_recursive(GFile *file, GCancellable *cancellable, GError **error)
{
	g_autoptr(GFileEnumerator) enumerator = NULL;
	g_autoptr(GError) error_local = NULL;

	enumerator = g_file_enumerate_children(file,
					       G_FILE_ATTRIBUTE_STANDARD_NAME,
					       G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
					       cancellable,
					       &error_local);
	if (enumerator != NULL) {
		for (;;) {
			GFile *child = NULL;

			if (!g_file_enumerator_iterate(
				    enumerator, NULL, &child, cancellable, error))
				return FALSE;
			if (child == NULL)
				break;
			if (!wf_delete_recursive(child, cancellable, error))
				return FALSE;
		}
	} else if (!g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	return g_file_delete(file, cancellable, error);
}

/* Trash keeps a way back even after the undo toast is gone; where there is
 * no trash (some mounts), the folder is deleted. */
static gboolean
wf_backups_page_remove_dir(const gchar *dir, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(dir);
	g_autoptr(GError) error_local = NULL;

	if (g_file_trash(file, NULL, &error_local))
		return TRUE;
	/* the user asked for the deletion and had the undo toast */
	g_debug("cannot trash %s, deleting it: %s", dir, error_local->message);
	return wf_delete_recursive(file, NULL, error);
}

static void
wf_pending_deletion_closure_notify(gpointer data, GClosure *closure)
{
	wf_pending_deletion_release(data);
}

static gboolean
wf_backups_page_is_pending(WfBackupsPage *self, const gchar *dir)
{
	for (guint i = 0; i < self->pending->len; i++) {
		WfPendingDeletion *pending = g_ptr_array_index(self->pending, i);
		if (!pending->undone && !pending->done && g_strcmp0(pending->dir, dir) == 0)
			return TRUE;
	}
	return FALSE;
}

static gint
wf_backups_page_sort_newest_first(gconstpointer a, gconstpointer b)
{
	WfBackup *backup_a = *((WfBackup **)a);
	WfBackup *backup_b = *((WfBackup **)b);
	GDateTime *created_a = wf_backup_get_created(backup_a);
	GDateTime *created_b = wf_backup_get_created(backup_b);

	if (created_a == NULL || created_b == NULL)
		return (created_a == NULL) - (created_b == NULL);
	return g_date_time_compare(created_b, created_a);
}

static void
wf_backups_page_scan(WfBackupsPage *self)
{
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *name;

	g_ptr_array_set_size(self->backups, 0);
	if (self->folder == NULL)
		return;
	dir = g_dir_open(self->folder, 0, &error);
	if (dir == NULL) {
		/* a folder that does not exist yet simply holds no backups */
		g_debug("cannot list %s: %s", self->folder, error->message);
		return;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(self->folder, name, NULL);
		g_autoptr(GError) error_local = NULL;
		WfBackup *backup;

		/* a ".partial" folder is a backup that never completed */
		if (g_str_has_suffix(name, WF_BACKUP_PARTIAL_SUFFIX) ||
		    !g_file_test(path, G_FILE_TEST_IS_DIR))
			continue;
		if (wf_backups_page_is_pending(self, path))
			continue;
		backup = wf_backup_load(path, &error_local);
		if (backup == NULL) {
			g_debug("ignoring %s: %s", path, error_local->message);
			continue;
		}
		g_ptr_array_add(self->backups, backup);
	}
	g_ptr_array_sort(self->backups, wf_backups_page_sort_newest_first);
}

static void
wf_backups_page_delete_requested_cb(WfBackupRow *row, gpointer user_data);

static AdwPreferencesGroup *
wf_backups_page_add_group(WfBackupsPage *self, WfBackup *first)
{
	AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP(adw_preferences_group_new());
	const gchar *me_id = wf_backup_get_me_id(first);
	const gchar *chip = wf_backup_get_chip(first);
	g_autofree gchar *short_id = g_strndup(me_id != NULL ? me_id : "", 8);
	g_autofree gchar *title = NULL;
	g_autofree gchar *description = NULL;

	/* TRANSLATORS: a group of backups; %s is the start of the watch's ME ID */
	title = g_strdup_printf(_("Watch %s…"), short_id);
	/* TRANSLATORS: below the group title: chip name and the whole ME ID */
	description = g_strdup_printf(_("%s, ME ID %s"),
				      chip != NULL ? chip : _("unknown chip"),
				      me_id != NULL ? me_id : "");
	adw_preferences_group_set_title(group, title);
	adw_preferences_group_set_description(group, description);
	gtk_box_append(self->groups_box, GTK_WIDGET(group));
	g_ptr_array_add(self->groups, group);
	return group;
}

static void
wf_backups_page_rebuild(WfBackupsPage *self)
{
	GtkWidget *child;
	g_autoptr(GHashTable) groups = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree gchar *folder_text = NULL;
	g_autofree gchar *empty_text = NULL;
	g_autofree gchar *shown = wf_application_display_path(self->folder);

	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->groups_box))) != NULL)
		gtk_box_remove(self->groups_box, child);
	g_ptr_array_set_size(self->rows, 0);
	g_ptr_array_set_size(self->groups, 0);

	/* newest first, so groups come in the order of their latest backup */
	for (guint i = 0; i < self->backups->len; i++) {
		WfBackup *backup = g_ptr_array_index(self->backups, i);
		const gchar *me_id = wf_backup_get_me_id(backup);
		AdwPreferencesGroup *group;
		GtkWidget *row;

		if (me_id == NULL)
			me_id = "";
		group = g_hash_table_lookup(groups, me_id);
		if (group == NULL) {
			group = wf_backups_page_add_group(self, backup);
			g_hash_table_insert(groups, (gpointer)me_id, group);
		}
		row = wf_backup_row_new(backup);
		g_signal_connect(row,
				 "delete-requested",
				 G_CALLBACK(wf_backups_page_delete_requested_cb),
				 self);
		adw_preferences_group_add(group, row);
		g_ptr_array_add(self->rows, row);
	}

	/* TRANSLATORS: %s is a folder */
	folder_text = g_strdup_printf(_("Stored in %s"), shown);
	gtk_label_set_label(self->folder_label, folder_text);
	/* TRANSLATORS: %s is a folder */
	empty_text = g_strdup_printf(
		_("Backups of your watches appear here. They are stored in %s."), shown);
	adw_status_page_set_description(self->empty_status, empty_text);
	gtk_stack_set_visible_child_name(self->stack, self->rows->len > 0 ? "list" : "empty");
}

/**
 * wf_backups_page_reload:
 *
 * Lists the backup folder again. Backups being deleted stay hidden.
 */
void
wf_backups_page_reload(WfBackupsPage *self)
{
	g_return_if_fail(WF_IS_BACKUPS_PAGE(self));
	wf_backups_page_scan(self);
	wf_backups_page_rebuild(self);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

static void
wf_backups_page_commit(WfPendingDeletion *pending)
{
	g_autoptr(GError) error = NULL;

	if (pending->undone || pending->done)
		return;
	pending->done = TRUE;
	if (!wf_backups_page_remove_dir(pending->dir, &error))
		g_warning("cannot delete backup %s: %s", pending->dir, error->message);
}

static void
wf_backups_page_toast_undo_cb(AdwToast *toast, gpointer user_data)
{
	WfPendingDeletion *pending = user_data;

	pending->undone = TRUE;
	if (pending->page != NULL)
		wf_backups_page_reload(pending->page);
}

static void
wf_backups_page_toast_dismissed_cb(AdwToast *toast, gpointer user_data)
{
	WfPendingDeletion *pending = user_data;
	WfBackupsPage *self = pending->page;

	wf_backups_page_commit(pending);
	if (self != NULL) {
		g_ptr_array_remove(self->pending, pending);
		wf_backups_page_reload(self);
	}
}

static void
wf_backups_page_delete_requested_cb(WfBackupRow *row, gpointer user_data)
{
	WfBackupsPage *self = WF_BACKUPS_PAGE(user_data);
	WfBackup *backup = wf_backup_row_get_backup(row);
	GtkWidget *overlay = gtk_widget_get_ancestor(GTK_WIDGET(self), ADW_TYPE_TOAST_OVERLAY);
	WfPendingDeletion *pending;
	AdwToast *toast;

	/* nowhere to offer an undo: do not delete on a single click */
	if (overlay == NULL) {
		g_warning("no toast overlay to offer an undo; not deleting");
		return;
	}
	pending = g_rc_box_new0(WfPendingDeletion);
	pending->page = self;
	pending->row = g_object_ref(GTK_WIDGET(row));
	pending->dir = g_strdup(wf_backup_get_dir(backup));
	g_ptr_array_add(self->pending, pending);
	wf_backups_page_reload(self);
	toast = adw_toast_new(_("Backup deleted"));
	adw_toast_set_button_label(toast, _("_Undo"));
	adw_toast_set_priority(toast, ADW_TOAST_PRIORITY_HIGH);
	g_signal_connect(
		toast, "button-clicked", G_CALLBACK(wf_backups_page_toast_undo_cb), pending);
	g_signal_connect_data(toast,
			      "dismissed",
			      G_CALLBACK(wf_backups_page_toast_dismissed_cb),
			      g_rc_box_acquire(pending),
			      wf_pending_deletion_closure_notify,
			      0);
	adw_toast_overlay_add_toast(ADW_TOAST_OVERLAY(overlay), toast);
}

/**
 * wf_backups_page_flush_deletions:
 *
 * Carries out the deletions whose undo toast is still showing, e.g. when
 * the window closes.
 */
void
wf_backups_page_flush_deletions(WfBackupsPage *self)
{
	g_return_if_fail(WF_IS_BACKUPS_PAGE(self));
	for (guint i = 0; i < self->pending->len; i++)
		wf_backups_page_commit(g_ptr_array_index(self->pending, i));
}

void
wf_backups_page_set_folder(WfBackupsPage *self, const gchar *folder)
{
	g_return_if_fail(WF_IS_BACKUPS_PAGE(self));
	if (g_strcmp0(self->folder, folder) == 0)
		return;
	g_free(self->folder);
	self->folder = g_strdup(folder);
	wf_backups_page_reload(self);
}

const gchar *
wf_backups_page_get_folder(WfBackupsPage *self)
{
	g_return_val_if_fail(WF_IS_BACKUPS_PAGE(self), NULL);
	return self->folder;
}

guint
wf_backups_page_get_n_backups(WfBackupsPage *self)
{
	g_return_val_if_fail(WF_IS_BACKUPS_PAGE(self), 0);
	return self->rows->len;
}

guint
wf_backups_page_get_n_groups(WfBackupsPage *self)
{
	g_return_val_if_fail(WF_IS_BACKUPS_PAGE(self), 0);
	return self->groups->len;
}

/**
 * wf_backups_page_get_latest_for_me_id:
 *
 * Returns: (transfer none) (nullable): the newest backup of that watch
 */
WfBackup *
wf_backups_page_get_latest_for_me_id(WfBackupsPage *self, const gchar *me_id)
{
	g_return_val_if_fail(WF_IS_BACKUPS_PAGE(self), NULL);
	if (me_id == NULL)
		return NULL;
	for (guint i = 0; i < self->backups->len; i++) {
		WfBackup *backup = g_ptr_array_index(self->backups, i);
		if (g_ascii_strcasecmp(
			    wf_backup_get_me_id(backup) != NULL ? wf_backup_get_me_id(backup) : "",
			    me_id) == 0)
			return backup;
	}
	return NULL;
}

/**
 * wf_backups_page_get_row_for_dir:
 *
 * Returns: (transfer none) (nullable): the row showing the backup in @dir
 */
GtkWidget *
wf_backups_page_get_row_for_dir(WfBackupsPage *self, const gchar *dir)
{
	g_return_val_if_fail(WF_IS_BACKUPS_PAGE(self), NULL);
	for (guint i = 0; i < self->rows->len; i++) {
		WfBackupRow *row = g_ptr_array_index(self->rows, i);
		if (g_strcmp0(wf_backup_get_dir(wf_backup_row_get_backup(row)), dir) == 0)
			return GTK_WIDGET(row);
	}
	return NULL;
}

static void
wf_backups_page_dispose(GObject *object)
{
	WfBackupsPage *self = WF_BACKUPS_PAGE(object);

	if (self->pending != NULL) {
		/* the user asked for these; the toasts die with the window */
		for (guint i = 0; i < self->pending->len; i++) {
			WfPendingDeletion *pending = g_ptr_array_index(self->pending, i);
			wf_backups_page_commit(pending);
			pending->page = NULL;
		}
	}
	/* AdwBin keeps its own pointer to the template's root: drop it
	 * first, or its dispose unparents a widget that is already gone */
	adw_bin_set_child(ADW_BIN(self), NULL);
	gtk_widget_dispose_template(GTK_WIDGET(self), WF_TYPE_BACKUPS_PAGE);
	G_OBJECT_CLASS(wf_backups_page_parent_class)->dispose(object);
}

static void
wf_backups_page_finalize(GObject *object)
{
	WfBackupsPage *self = WF_BACKUPS_PAGE(object);

	g_free(self->folder);
	g_ptr_array_unref(self->backups);
	g_ptr_array_unref(self->rows);
	g_ptr_array_unref(self->groups);
	g_ptr_array_unref(self->pending);
	G_OBJECT_CLASS(wf_backups_page_parent_class)->finalize(object);
}

static void
wf_backups_page_class_init(WfBackupsPageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = wf_backups_page_dispose;
	object_class->finalize = wf_backups_page_finalize;
	/**
	 * WfBackupsPage::changed:
	 *
	 * The list of backups was read again.
	 */
	signals[SIGNAL_CHANGED] = g_signal_new("changed",
					       G_TYPE_FROM_CLASS(klass),
					       G_SIGNAL_RUN_LAST,
					       0,
					       NULL,
					       NULL,
					       NULL,
					       G_TYPE_NONE,
					       0);
	gtk_widget_class_set_template_from_resource(
		widget_class, "/io/github/wristflash/Wristflash/wf-backups-page.ui");
	gtk_widget_class_bind_template_child(widget_class, WfBackupsPage, stack);
	gtk_widget_class_bind_template_child(widget_class, WfBackupsPage, empty_status);
	gtk_widget_class_bind_template_child(widget_class, WfBackupsPage, folder_label);
	gtk_widget_class_bind_template_child(widget_class, WfBackupsPage, groups_box);
}

static void
wf_backups_page_init(WfBackupsPage *self)
{
	self->backups = g_ptr_array_new_with_free_func(g_object_unref);
	self->rows = g_ptr_array_new();
	self->groups = g_ptr_array_new();
	self->pending = g_ptr_array_new_with_free_func(wf_pending_deletion_release);
	gtk_widget_init_template(GTK_WIDGET(self));
	wf_a11y_fix_buttons(GTK_WIDGET(self));
	wf_backups_page_rebuild(self);
}

GtkWidget *
wf_backups_page_new(void)
{
	return g_object_new(WF_TYPE_BACKUPS_PAGE, NULL);
}
