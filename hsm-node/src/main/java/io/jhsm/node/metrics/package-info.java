/** An HSM's CloudWatch metrics (AWS/CloudHSM names) through Micrometer, with a Prometheus scrape endpoint. */
package io.jhsm.node.metrics;
