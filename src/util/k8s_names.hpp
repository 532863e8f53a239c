#pragma once
// The Kubernetes rules for names and label values, as pure string checks
// (the config validates with them at campaign_init; cell_run at plan time).
#include <string>

namespace ptr::k8s {

// RFC 1123 label: 1-63 chars, [a-z0-9]([-a-z0-9]*[a-z0-9])? (namespaces, Job names).
bool valid_dns_label(const std::string& s);
// RFC 1123 subdomain: <= 253 chars of dot-separated labels (pod names).
bool valid_dns_subdomain(const std::string& s);
// Label value: empty, or <= 63 chars [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?.
bool valid_label_value(const std::string& s);
// A kubectl context name: printable, no whitespace, <= 253 chars.
bool valid_context(const std::string& s);
// An image reference: printable, no whitespace, <= 512 chars.
bool valid_image(const std::string& s);

}  // namespace ptr::k8s
