package dev.portcullis.controlplane.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Turns on {@code @Scheduled} jobs. Each job that must run on one instance only takes a PostgreSQL advisory lock in
 * its transaction, so several control-plane instances can run side by side.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfiguration {}
