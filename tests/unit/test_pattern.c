/* The narrative kind's Lua patterns matched in C (rules/text_pattern.c):
 * each case's expected capture is what Lua 5.4's string.match gives (taken
 * from lua5.4 when the cases were written); the subset's check refuses
 * what the matcher does not do; the required bytes are lib/narrative.lua's
 * required() of before. */
#include "rules/text_pattern.h"
#include "check.h"
#include <string.h>

static const struct {
    const char *pattern, *text, *capture;
} MATCHES[] = {
    {"新收.-申请.-(%d+)件", "本年新收政府信息公开申请70件", "70"},
    {"新收.-申请.-(%d+)件", "新收申请第123号等12件", "12"},
    {"(%d+)件.-结转下", "其中3件结转下年度办理", "3"},
    {"行政复议%D-(%d+)件", "行政复议案件5件", "5"},
    {"行政复议%D-(%d+)件", "行政复议2021年5件", NULL},
    {"^收到(%d+)件", "收到7件", "7"},
    {"^收到(%d+)件", "共收到7件", NULL},
    {"收到(%d+)件$", "收到7件", "7"},
    {"收到(%d+)件$", "收到7件了", NULL},
    {"a%.?b(%d+)", "ab12 a.b34", "12"},
    {"x*(%d+)", "xx9", "9"},
    {"%s*(%d+)%a+", "  42abc", "42"},
    {"予以公开(%d+)件", "部分予以公开3件，予以公开12件", "3"},
    {"(%d+)", "abc", NULL},
};

static void test_match_as_lua(void)
{
    for (size_t i = 0; i < sizeof MATCHES / sizeof MATCHES[0]; i++) {
        char err[256];
        CHECK(nb_pattern_check(MATCHES[i].pattern, err, sizeof err));
        const char *cap = NULL;
        size_t n = 0;
        bool found = nb_pattern_match(MATCHES[i].pattern, MATCHES[i].text, strlen(MATCHES[i].text), &cap, &n);
        CHECK(found == (MATCHES[i].capture != NULL));
        if (found && MATCHES[i].capture)
            CHECK(n == strlen(MATCHES[i].capture) && memcmp(cap, MATCHES[i].capture, n) == 0);
        else if (found != (MATCHES[i].capture != NULL))
            fprintf(stderr, "  case %zu: '%s' in '%s'\n", i, MATCHES[i].pattern, MATCHES[i].text);
    }
}

static void test_outside_the_subset_is_refused(void)
{
    char err[256];
    CHECK(!nb_pattern_check("[0-9]+(%d+)件", err, sizeof err) && strstr(err, "字符集"));
    CHECK(!nb_pattern_check("%b()(%d+)", err, sizeof err));
    CHECK(!nb_pattern_check("收到%d+件", err, sizeof err) && strstr(err, "恰有一个捕获"));
    CHECK(!nb_pattern_check("(%d+)件(%d+)", err, sizeof err));
    CHECK(!nb_pattern_check("(%a+)件", err, sizeof err));
    CHECK(!nb_pattern_check("*(%d+)", err, sizeof err));
}

static void test_required_bytes(void)
{
    char out[64];
    CHECK(nb_pattern_required("上年结转.-(%d+)件", out, sizeof out) == strlen("上年结转") && !strcmp(out, "上年结转"));
    CHECK(nb_pattern_required("(%d+)件.-结转下", out, sizeof out) && !strcmp(out, "件.-结转下" + strlen("件.-")));
    CHECK(nb_pattern_required("a%.?b(%d+)", out, sizeof out) == 1);
    CHECK(nb_pattern_required(".-(%d+)", out, sizeof out) == 0 && !*out);
}

int main(void)
{
    test_match_as_lua();
    test_outside_the_subset_is_refused();
    test_required_bytes();
    return check_report();
}
