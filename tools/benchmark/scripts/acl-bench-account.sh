# Sourced by acl-flood-w2.sh and acl-flood-cpu.sh: the one account their ACL brokers know, which
# the good client (ORBITMQ_ACCESS_KEY / ORBITMQ_SECRET_KEY) and the flood (a wrong secret) use.
# write_bench_acl <dir>: writes <dir>/plain_acl.yml.
write_bench_acl() {
  cat > "$1/plain_acl.yml" <<'YML'
accounts:
  - accessKey: BenchUser1
    secretKey: bench-secret
    admin: true
    defaultTopicPerm: PUB|SUB
    defaultGroupPerm: PUB|SUB
YML
}
