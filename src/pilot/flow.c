#include "flow.h"

#include <string.h>

#include "../auth/role.h"

static const struct {
	const char *name, *done, *from, *to;
	unsigned roles;
} steps[PA__N] = {
	[PA_SAVE] = {"save", "saved", "draft", "draft", ROLE_LEDER},
	[PA_SUBMIT] = {"submit", "submitted", "draft", "submitted", ROLE_LEDER},
	[PA_RETURN] = {"return", "returned", "submitted", "draft", ROLE_LEDER},
	[PA_APPROVE] = {"approve", "approved", "submitted", "approved", ROLE_LEDER},
	[PA_FEEDBACK] = {"feedback", "feedback", "approved", "feedback", ROLE_ANALYTIKER},
	[PA_CLOSE] = {"close", "closed", "feedback", "closed", ROLE_ANALYTIKER},
};

const char *preport_action_name(enum pr_action a)
{
	return a < PA__N ? steps[a].name : "";
}

const char *preport_action_done(enum pr_action a)
{
	return a < PA__N ? steps[a].done : "";
}

const char *preport_step(const char *state, enum pr_action a, const struct account *who, const char *submitted_by,
			 const char **to, int *status)
{
	*to = NULL;
	*status = 403;
	if (a >= PA__N)
		return "report.unknown_action";
	if (!(role_bit(who->role) & steps[a].roles))
		return steps[a].roles == ROLE_LEDER ? "report.leder_only" : "report.analyst_only";
	if (strcmp(state, steps[a].from) != 0) {
		*status = 409;
		static const char *const why[PA__N] = {
			[PA_SAVE] = "report.not_draft",         [PA_SUBMIT] = "report.not_draft",
			[PA_RETURN] = "report.not_submitted",   [PA_APPROVE] = "report.not_submitted",
			[PA_FEEDBACK] = "report.not_approved", [PA_CLOSE] = "report.no_feedback",
		};
		return why[a];
	}
	/* Four eyes: the steering group's approval is not the submitter's own. */
	if (a == PA_APPROVE && submitted_by && !strcmp(submitted_by, who->username))
		return "report.own_approval";
	*status = 0;
	*to = steps[a].to;
	return NULL;
}

static const enum preport_field annual_fields[] = {PR_ACTIVITIES, PR_CHALLENGES, PR_FUNDS, PR_GOAL1,
						   PR_GOAL2,      PR_GOAL3,      PR_GOAL4};
static const enum preport_field final_fields[] = {PR_SUMMARY, PR_GOAL1, PR_GOAL2, PR_GOAL3,
						  PR_GOAL4,   PR_FUNDS, PR_LESSONS};

const enum preport_field *preport_fields(const char *kind, int *n)
{
	if (!strcmp(kind, "final")) {
		*n = (int)(sizeof final_fields / sizeof final_fields[0]);
		return final_fields;
	}
	*n = (int)(sizeof annual_fields / sizeof annual_fields[0]);
	return annual_fields;
}

int preport_missing(const char *kind, const char *const text[PR_NFIELDS])
{
	int n;
	const enum preport_field *f = preport_fields(kind, &n);
	for (int i = 0; i < n; i++) {
		const char *t = text[f[i]];
		while (t && (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t'))
			t++;
		if (!t || !*t)
			return (int)f[i];
	}
	return -1;
}
