/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-flash-feedback.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "wf-error.h"

struct _WfFlashFeedback {
	GObject parent_instance;
	gchar *dir;
};

G_DEFINE_FINAL_TYPE(WfFlashFeedback, wf_flash_feedback, G_TYPE_OBJECT)

gboolean
wf_flash_feedback_answer_is_valid(const gchar *answer)
{
	const gchar *valid[] = {WF_FLASH_FEEDBACK_WORKS,
				WF_FLASH_FEEDBACK_TOUCH_DEAD,
				WF_FLASH_FEEDBACK_DISPLAY_WRONG,
				WF_FLASH_FEEDBACK_NO_BOOT,
				WF_FLASH_FEEDBACK_OTHER,
				NULL};
	return answer != NULL && g_strv_contains(valid, answer);
}

/**
 * wf_flash_feedback_answer_to_label:
 *
 * Returns: the translated answer as the user picked it
 */
const gchar *
wf_flash_feedback_answer_to_label(const gchar *answer)
{
	if (g_strcmp0(answer, WF_FLASH_FEEDBACK_WORKS) == 0)
		return _("Works");
	if (g_strcmp0(answer, WF_FLASH_FEEDBACK_TOUCH_DEAD) == 0)
		return _("Touch does not respond");
	if (g_strcmp0(answer, WF_FLASH_FEEDBACK_DISPLAY_WRONG) == 0)
		return _("Display looks wrong");
	if (g_strcmp0(answer, WF_FLASH_FEEDBACK_NO_BOOT) == 0)
		return _("Does not start");
	if (g_strcmp0(answer, WF_FLASH_FEEDBACK_OTHER) == 0)
		return _("Something else");
	return _("Not answered");
}

static gchar *
wf_flash_feedback_path(WfFlashFeedback *self, const gchar *me_id)
{
	g_autofree gchar *name = g_strdup_printf("feedback-%s.json", me_id);
	return g_build_filename(self->dir, name, NULL);
}

static gchar *
wf_flash_feedback_key(GDateTime *started)
{
	g_autoptr(GDateTime) utc = g_date_time_to_utc(started);
	return g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* (transfer full): the file's "entries" object, new when there is none */
static JsonObject *
wf_flash_feedback_load(WfFlashFeedback *self, const gchar *me_id)
{
	g_autofree gchar *path = wf_flash_feedback_path(self, me_id);
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonNode *root;

	if (json_parser_load_from_file(parser, path, NULL)) {
		root = json_parser_get_root(parser);
		if (root != NULL && JSON_NODE_HOLDS_OBJECT(root)) {
			JsonObject *obj = json_node_get_object(root);
			if (json_object_has_member(obj, "entries") &&
			    JSON_NODE_HOLDS_OBJECT(json_object_get_member(obj, "entries")))
				return json_object_ref(
					json_object_get_object_member(obj, "entries"));
		}
	}
	return json_object_new();
}

static gboolean
wf_flash_feedback_me_id_ok(const gchar *me_id, GError **error)
{
	/* it becomes part of a file name */
	for (const gchar *p = me_id; p != NULL && *p != '\0'; p++) {
		if (!g_ascii_isxdigit(*p)) {
			g_set_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, "bad ME ID %s", me_id);
			return FALSE;
		}
	}
	if (me_id == NULL || me_id[0] == '\0') {
		g_set_error_literal(error, WF_ERROR, WF_ERROR_INVALID_DATA, "no ME ID");
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_flash_feedback_set:
 * @started: the history entry's start time
 * @answer: one of the WF_FLASH_FEEDBACK_ answers
 * @note: (nullable): what the user wrote
 *
 * Stores (or replaces) the answer for one flash.
 */
gboolean
wf_flash_feedback_set(WfFlashFeedback *self,
		      const gchar *me_id,
		      GDateTime *started,
		      const gchar *answer,
		      const gchar *note,
		      GError **error)
{
	g_autoptr(JsonObject) entries = NULL;
	g_autoptr(JsonObject) root = json_object_new();
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autoptr(JsonGenerator) generator = json_generator_new();
	JsonObject *entry = json_object_new();
	g_autofree gchar *key = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(WF_IS_FLASH_FEEDBACK(self), FALSE);
	g_return_val_if_fail(started != NULL, FALSE);
	if (!wf_flash_feedback_me_id_ok(me_id, error)) {
		json_object_unref(entry);
		return FALSE;
	}
	if (!wf_flash_feedback_answer_is_valid(answer)) {
		json_object_unref(entry);
		g_set_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, "unknown answer %s", answer);
		return FALSE;
	}
	entries = wf_flash_feedback_load(self, me_id);
	key = wf_flash_feedback_key(started);
	json_object_set_string_member(entry, "answer", answer);
	if (note != NULL && note[0] != '\0')
		json_object_set_string_member(entry, "note", note);
	json_object_set_object_member(entries, key, entry);
	json_object_set_int_member(root, "format", 1);
	json_object_set_string_member(root, "me_id", me_id);
	json_object_set_object_member(root, "entries", json_object_ref(entries));
	json_node_set_object(node, root);
	json_generator_set_root(generator, node);
	json_generator_set_pretty(generator, TRUE);
	text = json_generator_to_data(generator, NULL);

	if (g_mkdir_with_parents(self->dir, 0700) != 0) {
		wf_error_convert_errno(error, errno, self->dir);
		return FALSE;
	}
	path = wf_flash_feedback_path(self, me_id);
	if (!g_file_set_contents(path, text, -1, &error_local)) {
		g_set_error(error, WF_ERROR, WF_ERROR_WRITE, "%s", error_local->message);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_flash_feedback_get:
 * @answer: (out) (optional): the answer
 * @note: (out) (optional) (nullable): the note
 *
 * Returns: whether the user answered for this flash
 */
gboolean
wf_flash_feedback_get(
	WfFlashFeedback *self, const gchar *me_id, GDateTime *started, gchar **answer, gchar **note)
{
	g_autoptr(JsonObject) entries = NULL;
	g_autofree gchar *key = NULL;
	JsonObject *entry;

	g_return_val_if_fail(WF_IS_FLASH_FEEDBACK(self), FALSE);
	if (started == NULL || !wf_flash_feedback_me_id_ok(me_id, NULL))
		return FALSE;
	entries = wf_flash_feedback_load(self, me_id);
	key = wf_flash_feedback_key(started);
	if (!json_object_has_member(entries, key) ||
	    !JSON_NODE_HOLDS_OBJECT(json_object_get_member(entries, key)))
		return FALSE;
	entry = json_object_get_object_member(entries, key);
	if (answer != NULL)
		*answer = g_strdup(json_object_get_string_member_with_default(entry, "answer", ""));
	if (note != NULL)
		*note = g_strdup(json_object_get_string_member_with_default(entry, "note", NULL));
	return TRUE;
}

static void
wf_flash_feedback_finalize(GObject *object)
{
	g_free(WF_FLASH_FEEDBACK(object)->dir);
	G_OBJECT_CLASS(wf_flash_feedback_parent_class)->finalize(object);
}

static void
wf_flash_feedback_class_init(WfFlashFeedbackClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_flash_feedback_finalize;
}

static void
wf_flash_feedback_init(WfFlashFeedback *self)
{
}

/**
 * wf_flash_feedback_new:
 * @dir: (nullable): the history folder; %NULL for $XDG_DATA_HOME/wristflash/history
 */
WfFlashFeedback *
wf_flash_feedback_new(const gchar *dir)
{
	WfFlashFeedback *self = g_object_new(WF_TYPE_FLASH_FEEDBACK, NULL);
	self->dir =
		dir != NULL
			? g_strdup(dir)
			: g_build_filename(g_get_user_data_dir(), "wristflash", "history", NULL);
	return self;
}
