#!/usr/bin/env bash
# CloudHSM on jhsm, end to end: new cluster -> CSR signed with your own CA (openssl, as in the AWS
# guide) -> initialize -> activate -> crypto users -> a key shared between them and used from OpenSSL
# (libp11 engine) -> a quorum-protected signature -> audit verify -> backup restored onto a fresh jhsm.
# Usage: examples/cloudhsm-walkthrough.sh [--network] [work-dir]   (needs dist/ built, openssl, libp11, pkcs11-tool)
# --network: the same steps against an HSM node started by `jhsm cluster up` (the CLI, OpenSSL and pkcs11-tool
# reach it through client.conf); the node is stopped at the end.
set -euo pipefail
network=false
if [[ "${1:-}" == --network ]]; then network=true; shift; fi
repo="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
jhsm="$repo/dist/jhsm"
module="$repo/dist/libjhsm.so"
engine=/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
cd "$work"
step() { printf '\n== %s\n' "$*"; }

export JHSM_BACKUP_DIR="$work/backups"
if $network; then
  step "1. start an HSM node (uninitialized) and fetch its CSR over the network"
  trap '"$jhsm" cluster down --dir "$work/cluster" >/dev/null' EXIT
  "$jhsm" cluster up --hsms 1 --dir "$work/cluster"
  export JHSM_CONF="$work/cluster/client.conf"
  id=$("$jhsm" cluster csr --out "$work/cluster.csr" --json | sed -E 's/.*"cluster-id":"([^"]+)".*/\1/')
  mv "$work/cluster.csr" "${id}_ClusterCsr.csr"
else
  printf 'directory = %s/hsm\n' "$work" > jhsm.conf
  export JHSM_CONF="$work/jhsm.conf"
  step "1. create a cluster: the HSM writes its CSR"
  id=$("$jhsm" cluster create --csr-dir "$work" --json | sed -E 's/.*"cluster-id":"([^"]+)".*/\1/')
fi
ls "${id}_ClusterCsr.csr"

step "2. sign the CSR with your own CA (the commands of the AWS CloudHSM guide)"
openssl genrsa -out customerCA.key 2048 2>/dev/null
openssl req -new -x509 -days 3652 -key customerCA.key -out customerCA.crt -subj "/CN=Example customer CA"
openssl x509 -req -days 3652 -in "${id}_ClusterCsr.csr" -CA customerCA.crt -CAkey customerCA.key \
  -CAcreateserial -out "${id}_CustomerHsmCertificate.crt"

step "3. initialize with the signed certificate and the trust anchor, then activate"
"$jhsm" cluster initialize --signed-cert "${id}_CustomerHsmCertificate.crt" --trust-anchor customerCA.crt
if $network; then  # the node now presents the certificate your CA signed: trust that CA from here on
  sed -i "s|^hsm-ca-cert = .*|hsm-ca-cert = $work/customerCA.crt|" "$JHSM_CONF"
fi
"$jhsm" cluster activate --password 'Admin-pass-1'
admin=(--login 'admin:Admin-pass-1' --login-role admin)

step "4. crypto users alice and bob"
"$jhsm" user create "${admin[@]}" --username alice --role crypto-user --password 'alice-pass-1'
"$jhsm" user create "${admin[@]}" --username bob --role crypto-user --password 'bob-pass-1'
"$jhsm" user list "${admin[@]}"

step "5. alice generates an EC key pair and shares the private key with bob"
"$jhsm" key generate-asymmetric-pair ec --curve secp256r1 --label shared-ec --attributes sign=true \
  --share-crypto-users bob --username alice --password 'alice-pass-1' > /dev/null
"$jhsm" key list --filter attr.label=shared-ec --username bob --password 'bob-pass-1'

step "6. bob signs with it from OpenSSL (libp11 engine), in his own process; the signature verifies"
cat > openssl.cnf <<CNF
openssl_conf = openssl_init
[openssl_init]
engines = engine_section
[engine_section]
pkcs11 = pkcs11_section
[pkcs11_section]
engine_id = pkcs11
dynamic_path = $engine
MODULE_PATH = $module
init = 0
CNF
echo "signed by bob with alice's shared key" > message.txt
OPENSSL_CONF="$work/openssl.cnf" openssl dgst -sha256 -engine pkcs11 -keyform engine \
  -sign "pkcs11:object=shared-ec;type=private?pin-value=bob:bob-pass-1" -out message.sig message.txt 2>/dev/null
pkcs11-tool --module "$module" --read-object --type pubkey --label shared-ec -o shared-ec.der >/dev/null
openssl pkey -pubin -inform DER -in shared-ec.der -out shared-ec.pem
openssl dgst -sha256 -verify shared-ec.pem -signature message.sig message.txt

step "7. bob may use the key but not delete it (a second PKCS#11 process: pkcs11-tool)"
if pkcs11-tool --module "$module" --login --pin 'bob:bob-pass-1' --delete-object --type privkey --label shared-ec 2>/dev/null; then
  echo "bob deleted alice's key: wrong" >&2; exit 1
fi
echo "refused, as it should be"

step "8. quorum: alice and bob register approval keys; a key needs 2 approvals to sign"
for u in alice bob; do
  openssl genrsa -out "$u-quorum.key" 2048 2>/dev/null
  openssl rsa -in "$u-quorum.key" -pubout -out "$u-quorum.pub" 2>/dev/null
  "$jhsm" quorum token-sign generate --service registration --token "$u-reg.token" --login "$u:$u-pass-1" >/dev/null
  sed -E 's/.*"unsigned":"([^"]+)".*/\1/' "$u-reg.token" | base64 -d > "$u-reg.raw"
  openssl pkeyutl -sign -in "$u-reg.raw" -inkey "$u-quorum.key" -pkeyopt digest:sha256 -out "$u-reg.sig"
  "$jhsm" quorum token-sign add-approval --token "$u-reg.token" --username "$u" --signature "$u-reg.sig" >/dev/null
  "$jhsm" quorum token-sign register-key --public-key "$u-quorum.pub" --signed-token "$u-reg.token" --login "$u:$u-pass-1"
done
key=$("$jhsm" key generate-symmetric generic-secret --label payments-mac --attributes sign=true \
  --share-crypto-users bob --use-key-quorum-value 2 --username alice --password 'alice-pass-1' --json \
  | sed -E 's/.*"key-reference":([0-9]+).*/\1/')
if "$jhsm" crypto sign --key "$key" --mechanism sha256-hmac --data-path message.txt --username alice --password 'alice-pass-1' 2>/dev/null; then
  echo "signed without a quorum: wrong" >&2; exit 1
fi
"$jhsm" quorum token-sign generate --service key-usage --key "$key" --token sign.token --login 'alice:alice-pass-1' >/dev/null
sed -E 's/.*"unsigned":"([^"]+)".*/\1/' sign.token | base64 -d > sign.raw
for u in alice bob; do
  openssl pkeyutl -sign -in sign.raw -inkey "$u-quorum.key" -pkeyopt digest:sha256 -out "$u-sign.sig"
  "$jhsm" quorum token-sign add-approval --token sign.token --username "$u" --signature "$u-sign.sig" >/dev/null
done
"$jhsm" crypto sign --key "$key" --mechanism sha256-hmac --data-path message.txt --approval sign.token \
  --username alice --password 'alice-pass-1'
if "$jhsm" crypto sign --key "$key" --mechanism sha256-hmac --data-path message.txt --approval sign.token \
  --username alice --password 'alice-pass-1' 2>/dev/null; then
  echo "a quorum token was used twice: wrong" >&2; exit 1
fi

step "9. the audit log is whole"
"$jhsm" audit show --tail 5
"$jhsm" audit verify

step "10. back up, and restore onto a fresh jhsm that shares only the backup directory"
backup=$("$jhsm" backup create "${admin[@]}" --json | sed -E 's/.*"backup-id":"([^"]+)".*/\1/')
mkdir -p fresh
printf 'directory = %s/fresh/hsm\n' "$work" > fresh/jhsm.conf
JHSM_CONF="$work/fresh/jhsm.conf" "$jhsm" backup restore "$backup"
JHSM_CONF="$work/fresh/jhsm.conf" "$jhsm" key list --filter attr.label=shared-ec --username bob --password 'bob-pass-1'
JHSM_CONF="$work/fresh/jhsm.conf" "$jhsm" audit verify

step "done: walkthrough in $work"
