// A fungible token as an ordinary WASI program, for Gauge's chain model.
//
// The call's input (stdin) is one command:
//
//   mint AMOUNT          the first caller to mint becomes the token's owner; only the owner
//                        mints afterwards. Credits the caller.
//   transfer TO AMOUNT   moves AMOUNT from the caller to the address TO.
//   balance [ADDRESS]    prints the balance of ADDRESS (default: the caller).
//   supply               prints the total supply.
//
// Storage (the preopened directory "/", one file per key):
//
//   owner                the owner's address (42 bytes of text)
//   supply               the total supply, decimal text
//   balances/<address>   each holder's balance, decimal text
//
// Results go to stdout, one decimal number and a newline. A transfer also writes one log event
// to stderr. Anything refused (bad command, not the owner, insufficient balance, overflow)
// prints the reason and exits with a non-zero code, which reverts every write of the call.
//
// Build: see build.sh beside this file.

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { ADDRESS_LEN = 42, INPUT_MAX = 256 };

static void refuse(int code, const char *why) {
    printf("refused: %s\n", why);
    exit(code);
}

// An address is "0x" followed by 40 lowercase hex digits (the form argv[0] and CALLER use).
static int is_address(const char *s) {
    if (strlen(s) != ADDRESS_LEN || s[0] != '0' || s[1] != 'x') return 0;
    for (int i = 2; i < ADDRESS_LEN; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return 0;
    }
    return 1;
}

// Parse a decimal amount; 0 on success.
static int parse_amount(const char *s, uint64_t *out) {
    if (*s == '\0') return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        uint64_t d = (uint64_t)(*s - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

// Read a whole small storage value into buf (NUL-terminated); -1 if the key is missing.
static int load(const char *key, char *buf, size_t cap) {
    FILE *f = fopen(key, "r");
    if (!f) {
        if (errno == ENOENT) return -1;
        refuse(10, "storage unavailable");
    }
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return 0;
}

static void store(const char *key, const char *value) {
    FILE *f = fopen(key, "w");
    if (!f || fputs(value, f) < 0 || fclose(f) != 0) refuse(10, "storage unavailable");
}

static uint64_t load_amount(const char *key) {
    char buf[32];
    uint64_t v = 0;
    if (load(key, buf, sizeof buf) == 0 && parse_amount(buf, &v) != 0) refuse(11, "corrupt storage");
    return v;
}

static void store_amount(const char *key, uint64_t v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    store(key, buf);
}

static void balance_key(char *key, size_t cap, const char *address) {
    snprintf(key, cap, "balances/%s", address);
}

int main(void) {
    const char *caller = getenv("CALLER");
    if (!caller || !is_address(caller)) refuse(2, "no caller");

    char input[INPUT_MAX];
    size_t n = fread(input, 1, sizeof input - 1, stdin);
    input[n] = '\0';
    while (n > 0 && (input[n - 1] == '\n' || input[n - 1] == ' ')) input[--n] = '\0';

    char *words[4] = {0};
    int count = 0;
    for (char *w = strtok(input, " "); w && count < 4; w = strtok(NULL, " ")) words[count++] = w;
    if (count == 0) refuse(1, "empty command");

    char key[64];
    mkdir("balances", 0755);  // a key prefix; EEXIST is fine

    if (strcmp(words[0], "mint") == 0 && count == 2) {
        uint64_t amount;
        if (parse_amount(words[1], &amount) != 0) refuse(1, "bad amount");
        char owner[ADDRESS_LEN + 1];
        if (load("owner", owner, sizeof owner) != 0) {
            store("owner", caller);
        } else if (strcmp(owner, caller) != 0) {
            refuse(3, "only the owner mints");
        }
        uint64_t supply = load_amount("supply");
        if (supply > UINT64_MAX - amount) refuse(4, "supply overflow");
        balance_key(key, sizeof key, caller);
        uint64_t balance = load_amount(key);
        store_amount("supply", supply + amount);
        store_amount(key, balance + amount);
        printf("%llu\n", (unsigned long long)(balance + amount));
    } else if (strcmp(words[0], "transfer") == 0 && count == 3) {
        const char *to = words[1];
        uint64_t amount;
        if (!is_address(to)) refuse(1, "bad address");
        if (parse_amount(words[2], &amount) != 0) refuse(1, "bad amount");
        balance_key(key, sizeof key, caller);
        uint64_t from_balance = load_amount(key);
        if (from_balance < amount) refuse(5, "insufficient balance");
        store_amount(key, from_balance - amount);
        balance_key(key, sizeof key, to);
        uint64_t to_balance = load_amount(key);  // after the debit: a self-transfer is a no-op
        if (to_balance > UINT64_MAX - amount) refuse(4, "balance overflow");
        store_amount(key, to_balance + amount);
        // One write, so that the log event arrives whole (stderr is unbuffered).
        char event[128];
        int len = snprintf(event, sizeof event, "transfer %s %s %llu\n", caller, to,
                           (unsigned long long)amount);
        fwrite(event, 1, (size_t)len, stderr);
        printf("%llu\n", (unsigned long long)(strcmp(caller, to) == 0 ? to_balance + amount
                                                                      : from_balance - amount));
    } else if (strcmp(words[0], "balance") == 0 && count <= 2) {
        const char *who = count == 2 ? words[1] : caller;
        if (!is_address(who)) refuse(1, "bad address");
        balance_key(key, sizeof key, who);
        printf("%llu\n", (unsigned long long)load_amount(key));
    } else if (strcmp(words[0], "supply") == 0 && count == 1) {
        printf("%llu\n", (unsigned long long)load_amount("supply"));
    } else {
        refuse(1, "unknown command (mint AMOUNT | transfer TO AMOUNT | balance [ADDRESS] | supply)");
    }
    return 0;
}
