// SPDX-License-Identifier: GPL-2.0-only
/*
 * The admin API (every request carries an admin bearer token, admin_auth.h):
 *   POST   /kbs/v0/resource/R/T/G          body: the secret bytes (Trustee's shape)
 *   DELETE /kbs/v0/resource/R/T/G
 *   GET    /kbs/v0/admin/resources          {"resources":[{"path","kek_id"}]}
 *   POST   /kbs/v0/resource-policy/PATTERN  body: policy JSON (rpolicy.h)
 *   GET | DELETE /kbs/v0/resource-policy/PATTERN,  GET /kbs/v0/resource-policy
 *   POST   /kbs/v0/reference-value/NAME     body: reference values (refval.h)
 *   GET | DELETE /kbs/v0/reference-value/NAME
 *   POST   /kbs/v0/admin/rotate-kek
 * Every change is an audit row ("admin.<operation>").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker/audit.h"
#include "broker/blog.h"
#include "broker/broker.h"
#include "broker/fault.h"
#include "broker/fleet.h"
#include "broker/refval.h"
#include "broker/rpolicy.h"
#include "util/err.h"

#define P_RES		"/kbs/v0/resource/"
#define P_POL		"/kbs/v0/resource-policy"
#define P_REF		"/kbs/v0/reference-value/"
#define P_ADMIN		"/kbs/v0/admin/"

static void audit_admin(struct broker *b, const struct http_request *req, const char *op,
			const char *target, int ret, const char *detail)
{
	struct audit_record ar = {
		.event = op, .client = req->client, .resource = target,
		.verdict = ret ? "error" : "allow", .detail = detail,
	};

	audit_write(b->store, &ar);
}

static void ok(struct http_response *r, json_t *body)
{
	kbs_json(r, 200, body ? body : json_object());
}

static void store_err(struct http_response *r, int ret, const char *what)
{
	if (ret == -ENOENT)
		kbs_error(r, 404, "ResourceNotFound", "no such %s", what);
	else
		kbs_error(r, 500, "PluginInternalError", "%s: %s", what, strerror(-ret));
}

/*
 * Seal under the current KEK and store.  In a fleet a rotation may commit
 * between the two (-ESTALE): re-read the fleet's KEK and seal again.
 */
static int seal_and_put(struct broker *b, const char *path, const struct http_request *req)
{
	struct sealed s;
	int ret, i;

	for (i = 0; i < 3; i++) {
		pthread_rwlock_rdlock(&b->kek_lock);
		ret = kek_seal(&b->kek, path, req->body, req->body_len, &s);
		if (!ret) {
			fault_point("put-secret.sealed");
			ret = STORE_CALL(b->store, resource_put, path, &s);
			sealed_free(&s);
		}
		pthread_rwlock_unlock(&b->kek_lock);
		if (ret != -ESTALE)
			break;
		fleet_kek_reload(b, true);
	}
	return ret;
}

static void put_secret(struct broker *b, const struct http_request *req,
		       const char *path, struct http_response *r)
{
	int ret;

	if (!rpolicy_path_valid(path))
		return (void)kbs_error(r, 400, "InvalidRequestPath", "bad resource path");
	if (!req->body_len)
		return (void)kbs_error(r, 400, "SerdeError", "an empty secret");
	ret = seal_and_put(b, path, req);
	audit_admin(b, req, "admin.put-secret", path, ret, NULL);
	if (ret)
		return store_err(r, ret, "resource");
	ok(r, NULL);
}

static int add_path(void *ctx, const char *path, const char *kek_id)
{
	return json_array_append_new(ctx, json_pack("{s:s,s:s}", "path", path,
						     "kek_id", kek_id));
}

static int add_policy(void *ctx, const char *pattern, const char *text)
{
	return json_array_append_new(ctx, json_pack("{s:s,s:s}", "pattern", pattern,
						     "policy", text));
}

static int add_refval(void *ctx, const char *kind, const char *value)
{
	json_t *o = ctx, *l = json_object_get(o, kind);

	if (!l) {
		l = json_array();
		json_object_set_new(o, kind, l);
	}
	return json_array_append_new(l, json_string(value));
}

static void policy_op(struct broker *b, const struct http_request *req,
		      const char *pattern, struct http_response *r)
{
	struct err_msg why;
	char *text = NULL;
	struct policy p;
	json_t *list;
	int ret;

	if (!*pattern && !strcmp(req->method, "GET")) {
		list = json_array();
		ret = STORE_CALL(b->store, policy_list, add_policy, list);
		return ret ? store_err(r, ret, "policy") :
			     ok(r, json_pack("{s:o}", "policies", list));
	}
	if (!rpolicy_pattern_valid(pattern))
		return (void)kbs_error(r, 400, "InvalidRequestPath", "bad policy pattern");
	if (!strcmp(req->method, "GET")) {
		ret = STORE_CALL(b->store, policy_get, pattern, &text);
		if (ret)
			return store_err(r, ret, "policy");
		ok(r, json_pack("{s:s,s:s}", "pattern", pattern, "policy", text));
		free(text);
		return;
	}
	if (!strcmp(req->method, "DELETE")) {
		ret = STORE_CALL(b->store, policy_delete, pattern);
		audit_admin(b, req, "admin.delete-policy", pattern, ret, NULL);
		return ret ? store_err(r, ret, "policy") : ok(r, NULL);
	}
	text = strndup((const char *)req->body, req->body_len);
	if (!text || strlen(text) != req->body_len) {
		free(text);
		return (void)kbs_error(r, 400, "ParsePolicyError", "the policy is not text");
	}
	ret = rpolicy_compile(b->store, text, &p, &why);
	if (ret) {
		free(text);
		return (void)kbs_error(r, 400, "ParsePolicyError", "%s", why.msg);
	}
	policy_free(&p);
	ret = STORE_CALL(b->store, policy_put, pattern, text);
	free(text);
	audit_admin(b, req, "admin.set-policy", pattern, ret, NULL);
	return ret ? store_err(r, ret, "policy") : ok(r, NULL);
}

static int add_values(struct broker *b, const char *name, const json_t *values)
{
	const char *kind;
	json_t *list;
	size_t i;
	int ret;

	json_object_foreach((json_t *)values, kind, list)
		for (i = 0; i < json_array_size(list); i++) {
			ret = STORE_CALL(b->store, refval_add, name, kind,
					 json_string_value(json_array_get(list, i)));
			if (ret)
				return ret;
		}
	return 0;
}

static void refval_op(struct broker *b, const struct http_request *req,
		      const char *name, struct http_response *r)
{
	json_t *values;
	struct err_msg why;
	int ret;

	if (!*name || strlen(name) > STORE_NAME_MAX || strchr(name, '/'))
		return (void)kbs_error(r, 400, "InvalidRequestPath", "bad reference set name");
	if (!strcmp(req->method, "GET")) {
		values = json_object();
		ret = STORE_CALL(b->store, refval_list, name, add_refval, values);
		if (!ret && !json_object_size(values))
			ret = -ENOENT;
		if (ret)
			json_decref(values);
		return ret ? store_err(r, ret, "reference value set") :
			     ok(r, json_pack("{s:s,s:o}", "name", name, "values", values));
	}
	if (!strcmp(req->method, "DELETE")) {
		ret = STORE_CALL(b->store, refval_delete, name);
		audit_admin(b, req, "admin.delete-reference", name, ret, NULL);
		return ret ? store_err(r, ret, "reference value set") : ok(r, NULL);
	}
	ret = refval_import((const char *)req->body, req->body_len, &values, &why);
	if (ret)
		return (void)kbs_error(r, 400, "RvpsError", "%s", why.msg);
	ret = add_values(b, name, values);
	json_decref(values);
	audit_admin(b, req, "admin.add-reference", name, ret, NULL);
	return ret ? store_err(r, ret, "reference value set") : ok(r, NULL);
}

static void admin_op(struct broker *b, const struct http_request *req, const char *op,
		     struct http_response *r)
{
	struct err_msg why = { "" };
	json_t *list;
	int ret;

	if (!strcmp(op, "resources") && !strcmp(req->method, "GET")) {
		list = json_array();
		ret = STORE_CALL(b->store, resource_list, add_path, list);
		return ret ? store_err(r, ret, "resource") :
			     ok(r, json_pack("{s:o}", "resources", list));
	}
	if (!strcmp(op, "rotate-kek") && !strcmp(req->method, "POST")) {
		ret = broker_rotate_kek(b, &why);
		audit_admin(b, req, "admin.rotate-kek", NULL, ret, ret ? why.msg : NULL);
		if (ret)
			return (void)kbs_error(r, ret == -EBUSY || ret == -ENOENT ? 409 : 500,
					       "PluginInternalError", "%s", why.msg);
		pthread_rwlock_rdlock(&b->kek_lock);
		ok(r, json_pack("{s:s}", "kek_id", b->kek.id));
		pthread_rwlock_unlock(&b->kek_lock);
		return;
	}
	kbs_error(r, 404, "InvalidRequestPath", "no admin operation %.64s", op);
}

void admin_handle(struct broker *b, const struct http_request *req, struct http_response *r)
{
	const char *u = req->url;
	struct err_msg why;

	if (admin_auth_check(&b->admin, req->authorization, req->method, u, req->body,
			     req->body_len, broker_now_ms() / 1000, &why)) {
		blog("warn", "admin.denied", json_pack("{s:s,s:s,s:s}", "client", req->client,
						       "path", u, "why", why.msg));
		return (void)kbs_error(r, 401, "AdminAuthAccess", "admin access denied: %s",
				       why.msg);
	}
	if (!strncmp(u, P_RES, strlen(P_RES))) {
		if (!strcmp(req->method, "POST"))
			return put_secret(b, req, u + strlen(P_RES), r);
		if (!strcmp(req->method, "DELETE")) {
			int ret = STORE_CALL(b->store, resource_delete, u + strlen(P_RES));

			audit_admin(b, req, "admin.delete-secret", u + strlen(P_RES), ret, NULL);
			return ret ? store_err(r, ret, "resource") : ok(r, NULL);
		}
	} else if (!strcmp(u, P_POL) || !strncmp(u, P_POL "/", strlen(P_POL) + 1)) {
		return policy_op(b, req, u[strlen(P_POL)] ? u + strlen(P_POL) + 1 : "", r);
	} else if (!strncmp(u, P_REF, strlen(P_REF))) {
		return refval_op(b, req, u + strlen(P_REF), r);
	} else if (!strncmp(u, P_ADMIN, strlen(P_ADMIN))) {
		return admin_op(b, req, u + strlen(P_ADMIN), r);
	}
	kbs_error(r, 405, "InvalidRequestPath", "method not allowed");
}
