package io.lazykoala.telemetry;

/** Whether an incident is in progress. Rankings are asserted only during incidents. */
public enum DetectionState {
    NORMAL, INCIDENT
}
