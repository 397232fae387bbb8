# Sourced by acl-flood-w2.sh and acl-flood-cpu.sh: the one account their ACL brokers know, which
# the good client (ORBITMQ_ACCESS_KEY / ORBITMQ_SECRET_KEY) and the flood (a wrong secret) use.
# write_bench_acl <dir>: writes <dir>/plain_acl.yml.
# write_bench_tls <dir>: a CA and a server certificate for 127.0.0.1 and ::1 in <dir> (openssl); sets
# BENCH_TLS_FLAGS (the broker's enforcing TLS) and exports ORBITMQ_TLS_CA (the clients trust the CA).
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

write_bench_tls() {
  (cd "$1" && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=bench-ca &&
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 &&
    printf 'subjectAltName=IP:127.0.0.1,IP:::1\n' > san.ext &&
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile san.ext) > /dev/null 2>&1
  BENCH_TLS_FLAGS="--tlsServerMode enforcing --tlsServerCertPath $1/server.pem --tlsServerKeyPath $1/server.key"
  export ORBITMQ_TLS_CA="$1/ca.pem"
}
