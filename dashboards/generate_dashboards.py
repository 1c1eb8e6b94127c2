"""Writes the Grafana dashboards in grafana/ (the JSON files are what users import).

Edit here, run `python3 dashboards/generate_dashboards.py`, commit both. DashboardQueriesTest runs every query
of the JSON files against a real Prometheus."""
import os
import json
DS = {"type": "prometheus", "uid": "${datasource}"}
def ds_var():
    return {"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus",
            "current": {}, "hide": 0, "refresh": 1, "regex": "", "options": []}
def label_var(name, label, metric, extra_match=""):
    q = f"label_values({metric}{extra_match}, {name})"
    return {"name": name, "label": label, "type": "query", "datasource": DS,
            "query": {"query": q, "refId": "PrometheusVariableQueryEditor-VariableQuery"}, "definition": q,
            "refresh": 2, "multi": True, "includeAll": True, "allValue": ".*", "current": {}, "sort": 1, "hide": 0, "options": [], "regex": ""}
def target(expr, ref, legend="", instant=False, fmt="time_series"):
    t = {"datasource": DS, "refId": ref, "expr": expr, "legendFormat": legend or "__auto", "range": not instant, "instant": instant, "format": fmt}
    return t
pid = [0]
def panel(kind, title, x, y, w, h, targets, **extra):
    pid[0] += 1
    p = {"id": pid[0], "type": kind, "title": title, "datasource": DS, "gridPos": {"x": x, "y": y, "w": w, "h": h}, "targets": targets}
    p.update(extra)
    return p
def dashboard(uid, title, desc, variables, panels, tags):
    return {"uid": uid, "title": title, "description": desc, "tags": ["lazykoala"] + tags, "timezone": "browser",
            "editable": True, "schemaVersion": 39, "version": 1, "refresh": "10s", "time": {"from": "now-30m", "to": "now"},
            "graphTooltip": 1, "templating": {"list": [ds_var()] + variables}, "annotations": {"list": [
                {"name": "Incidents", "datasource": DS, "enable": True, "iconColor": "red",
                 "expr": "max by (scope) (lazykoala_incident_active) == 1", "step": "30s", "titleFormat": "Incident in {{scope}}",
                 "useValueForTime": False}]},
            "links": [{"title": "Lazy Koala", "type": "dashboards", "tags": ["lazykoala"], "asDropdown": True}],
            "panels": panels}
NS = '{namespace=~"$namespace"}'
def edge_ids(series):
    """Node Graph edge fields: source and target node ids ("namespace/service") and id "source->target"."""
    return (f'label_join(label_join(label_join({series}, "source", "/", "src_namespace", "src_service"), '
            '"target", "/", "dst_namespace", "dst_service"), "id", "->", "source", "target")')
ID = '"id", "/", "namespace", "service"'
# ---------- 1. service map ----------
nodes = [
    target(f'label_join(lazykoala_anomaly_score{NS}, {ID})', "A", instant=True, fmt="table"),
    target(f'label_join(lazykoala_service_health_ratio{NS}, {ID})', "B", instant=True, fmt="table"),
    target(f'label_join(1 - lazykoala_service_health_ratio{NS}, {ID})', "C", instant=True, fmt="table"),
    target(f'label_join(min by (namespace, service) (lazykoala_root_cause_rank{NS}), {ID})', "D", instant=True, fmt="table"),
    target('label_join(label_join(label_join(lazykoala_request_rate{src_namespace=~"$namespace"}, "source", "/", "src_namespace", "src_service"), '
           '"target", "/", "dst_namespace", "dst_service"), "id", "->", "source", "target")', "E", instant=True, fmt="table"),
    target(edge_ids('lazykoala_request_error_rate{src_namespace=~"$namespace"}'), "F", instant=True, fmt="table"),
    target(edge_ids('lazykoala_request_rate{src_namespace=~"$namespace"}') + ' * 0 + on (dst_namespace, dst_service) group_left '
           'label_replace(label_replace(1 - lazykoala_service_health_ratio, "dst_namespace", "$1", "namespace", "(.*)"), "dst_service", "$1", "service", "(.*)")',
           "G", instant=True, fmt="table"),
]
node_tx = [
    {"id": "merge", "options": {}, "filter": {"id": "byRefId", "options": "/^[ABCD]$/"}},
    {"id": "organize", "filter": {"id": "byRefId", "options": "/^[ABCD]$/"}, "options": {
        "excludeByName": {"Time": True, "__name__": True, "job": True, "instance": True, "scope": True},
        "renameByName": {"service": "title", "namespace": "subtitle", "Value #A": "mainstat", "Value #B": "arc__healthy",
                          "Value #C": "arc__unhealthy", "Value #D": "secondarystat"}}},
    {"id": "merge", "options": {}, "filter": {"id": "byRefId", "options": "/^[EFG]$/"}},
    {"id": "organize", "filter": {"id": "byRefId", "options": "/^[EFG]$/"}, "options": {
        "excludeByName": {"Time": True, "__name__": True, "job": True, "instance": True},
        "renameByName": {"Value #E": "mainstat", "Value #F": "secondarystat", "Value #G": "detail__callee_unhealthiness"}}},
]
service_map = dashboard("lazykoala-service-map", "Lazy Koala / Service map",
    "Services as nodes (ring: calibrated health, green = healthy; main stat: anomaly score; second stat: best root-cause rank) "
    "and observed calls as edges (main stat: requests/s; second stat: errors/s - refused, reset or timed-out connections; "
    "hover: unhealthiness of the callee). The blast radius at a glance.",
    [label_var("namespace", "Namespace", "lazykoala_service_health_ratio")],
    [panel("nodeGraph", "Service map", 0, 0, 24, 16, nodes, transformations=node_tx,
           fieldConfig={"defaults": {}, "overrides": [
               {"matcher": {"id": "byName", "options": "arc__healthy"}, "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": "green"}}]},
               {"matcher": {"id": "byName", "options": "arc__unhealthy"}, "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}}]},
               {"matcher": {"id": "byName", "options": "mainstat"}, "properties": [{"id": "displayName", "value": "anomaly score / req/s"}, {"id": "decimals", "value": 2}]},
               {"matcher": {"id": "byName", "options": "secondarystat"}, "properties": [{"id": "decimals", "value": 2}]}]},
           options={"nodes": {"mainStatUnit": "none", "secondaryStatUnit": "none", "arcs": [
               {"field": "arc__healthy", "color": "green"}, {"field": "arc__unhealthy", "color": "red"}]},
               "edges": {"mainStatUnit": "reqps", "secondaryStatUnit": "reqps"}}),
     panel("stat", "Unhealthy services (health < 0.5)", 0, 16, 6, 5,
           [target(f'count(lazykoala_service_health_ratio{NS} < 0.5) or vector(0)', "A", instant=True)],
           fieldConfig={"defaults": {"thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "red", "value": 1}]}}, "overrides": []}),
     panel("stat", "Incident", 6, 16, 6, 5,
           [target('max(lazykoala_incident_active) or vector(0)', "A", instant=True)],
           fieldConfig={"defaults": {"mappings": [{"type": "value", "options": {"0": {"text": "none", "color": "green"}, "1": {"text": "INCIDENT", "color": "red"}}}]}, "overrides": []}),
     panel("table", "Top root-cause candidates", 12, 16, 12, 5,
           [target(f'topk(5, lazykoala_root_cause_score{NS})', "A", instant=True, fmt="table")],
           transformations=[{"id": "organize", "options": {"excludeByName": {"Time": True, "__name__": True, "job": True, "instance": True},
                                                            "renameByName": {"Value": "score"}}},
                            {"id": "sortBy", "options": {"sort": [{"field": "score", "desc": True}]}}]),
     panel("timeseries", "Requests per second by edge", 0, 21, 12, 8,
           [target('lazykoala_request_rate{src_namespace=~"$namespace"}', "A", "{{src_service}} → {{dst_service}}")],
           fieldConfig={"defaults": {"unit": "reqps"}, "overrides": []}),
     panel("timeseries", "Errors per second by edge (refused, reset, timed out)", 12, 21, 12, 8,
           [target('lazykoala_request_error_rate{src_namespace=~"$namespace"}', "A", "{{src_service}} → {{dst_service}}")],
           fieldConfig={"defaults": {"unit": "reqps"}, "overrides": []}),
    ], ["service-map"])
# ---------- 2. incident view ----------
incident = dashboard("lazykoala-incident", "Lazy Koala / Incident",
    "The ranking with its evidence (score, rank, the candidate's own anomaly and health), score series per service, "
    "the feature heat of the top candidate (which features make up its reconstruction error), "
    "and the anomaly heat of every service over time.",
    [label_var("namespace", "Namespace", "lazykoala_service_health_ratio"),
     label_var("scope", "Scope", "lazykoala_incident_active")],
    [panel("state-timeline", "Detection state", 0, 0, 24, 4,
           [target('lazykoala_incident_active{scope=~"$scope"}', "A", "{{scope}}")],
           fieldConfig={"defaults": {"mappings": [{"type": "value", "options": {"0": {"text": "normal", "color": "green"}, "1": {"text": "incident", "color": "red"}}}]}, "overrides": []}),
     panel("table", "Root-cause ranking (latest step)", 0, 4, 12, 10,
           [target(f'lazykoala_root_cause_rank{{scope=~"$scope",namespace=~"$namespace"}} <= 10', "A", instant=True, fmt="table"),
            target(f'lazykoala_root_cause_score{{scope=~"$scope",namespace=~"$namespace"}}', "B", instant=True, fmt="table"),
            target('(0 * lazykoala_root_cause_rank{scope=~"$scope",namespace=~"$namespace"}) + on (namespace, service) group_left lazykoala_anomaly_score', "C", instant=True, fmt="table"),
            target('(0 * lazykoala_root_cause_rank{scope=~"$scope",namespace=~"$namespace"}) + on (namespace, service) group_left lazykoala_service_health_ratio', "D", instant=True, fmt="table")],
           transformations=[{"id": "merge", "options": {}},
                            {"id": "organize", "options": {"excludeByName": {"Time": True, "__name__": True, "job": True, "instance": True},
                                                           "renameByName": {"Value #A": "rank", "Value #B": "root-cause score", "Value #C": "anomaly score", "Value #D": "health"}}},
                            {"id": "sortBy", "options": {"sort": [{"field": "rank"}]}}]),
     panel("timeseries", "Root-cause score of the top candidates", 12, 4, 12, 10,
           [target(f'lazykoala_root_cause_score{{scope=~"$scope",namespace=~"$namespace"}} and on (scope, namespace, service) (lazykoala_root_cause_rank <= 3)', "A", "#{{service}}")],
           fieldConfig={"defaults": {"min": 0, "max": 1}, "overrides": []}),
     panel("timeseries", "Anomaly score per service", 0, 14, 12, 9,
           [target(f'lazykoala_anomaly_score{NS}', "A", "{{namespace}}/{{service}}")]),
     panel("timeseries", "Health per service", 12, 14, 12, 9,
           [target(f'lazykoala_service_health_ratio{NS}', "A", "{{namespace}}/{{service}}")],
           fieldConfig={"defaults": {"min": 0, "max": 1, "unit": "percentunit"}, "overrides": []}),
     panel("heatmap", "Feature heat of the top candidate (share of its reconstruction error)", 0, 23, 24, 8,
           [target('max by (feature) (lazykoala_feature_contribution{scope=~"$scope",namespace=~"$namespace"} '
                   'and on (scope, namespace, service) (lazykoala_root_cause_rank == 1))', "A", "{{feature}}", fmt="time_series")],
           description="Each step's rank-1 candidate: the features of its explanation (the job writes the top 3 features of the "
                       "top 3 candidates; a feature outside them is blank, not zero).",
           fieldConfig={"defaults": {"min": 0, "max": 1, "unit": "percentunit"}, "overrides": []},
           options={"calculate": False, "yAxis": {"axisPlacement": "left"}, "color": {"mode": "scheme", "scheme": "Oranges", "min": 0, "max": 1},
                    "cellGap": 1, "rowsFrame": {"layout": "auto"}, "legend": {"show": True}}),
     panel("heatmap", "Anomaly heat (services × time)", 0, 31, 24, 10,
           [target(f'max by (service) (lazykoala_anomaly_score{NS})', "A", "{{service}}", fmt="time_series")],
           options={"calculate": False, "yAxis": {"axisPlacement": "left"}, "color": {"mode": "scheme", "scheme": "Reds", "exponent": 0.5},
                    "cellGap": 1, "rowsFrame": {"layout": "auto"}, "legend": {"show": True}}),
     panel("timeseries", "Requests and errors per second into the top candidate", 0, 41, 24, 8,
           [target('lazykoala_request_rate and on (dst_namespace, dst_service) label_replace(label_replace(lazykoala_root_cause_rank{scope=~"$scope"} == 1, '
                   '"dst_namespace", "$1", "namespace", "(.*)"), "dst_service", "$1", "service", "(.*)")', "A", "{{src_service}} → {{dst_service}}"),
            target('lazykoala_request_error_rate and on (dst_namespace, dst_service) label_replace(label_replace(lazykoala_root_cause_rank{scope=~"$scope"} == 1, '
                   '"dst_namespace", "$1", "namespace", "(.*)"), "dst_service", "$1", "service", "(.*)")', "B", "errors {{src_service}} → {{dst_service}}")],
           fieldConfig={"defaults": {"unit": "reqps"}, "overrides": []}),
    ], ["incident"])
# ---------- 3. pipeline health ----------
pipeline = dashboard("lazykoala-pipeline", "Lazy Koala / Pipeline health",
    "Collectors (events, drops, Kafka errors, buffer), Kafka lag, job throughput and rejections, checkpoint age, remote write.",
    [], [
     panel("timeseries", "Job input records/s by topic", 0, 0, 12, 8,
           [target('sum by (topic) (rate(lazykoala_records_in_total[$__rate_interval]))', "A", "{{topic}}")], fieldConfig={"defaults": {"unit": "ops"}, "overrides": []}),
     panel("timeseries", "Rejected records/s (to lazykoala.dlq) by topic and reason", 12, 0, 12, 8,
           [target('sum by (topic, reason) (rate(lazykoala_records_rejected_total[$__rate_interval]))', "A", "{{topic}} {{reason}}")], fieldConfig={"defaults": {"unit": "ops"}, "overrides": []}),
     panel("timeseries", "Kafka consumer lag (records) by source", 0, 8, 12, 8,
           [target('sum by (source) (lazykoala_consumer_lag_records)', "A", "{{source}}")],
           description="The Kafka sources' pendingRecords (sum of the consumer's records-lag over the partitions read), summed over task managers."),
     panel("stat", "Checkpoint age", 12, 8, 6, 8,
           [target('max(lazykoala_checkpoint_age_seconds)', "A", instant=True)],
           fieldConfig={"defaults": {"unit": "s", "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "orange", "value": 300}, {"color": "red", "value": 900}]}}, "overrides": []}),
     panel("stat", "Rejected share (5m)", 18, 8, 6, 8,
           [target('sum(rate(lazykoala_records_rejected_total[5m])) / clamp_min(sum(rate(lazykoala_records_in_total[5m])) + sum(rate(lazykoala_records_rejected_total[5m])), 1e-9)', "A", instant=True)],
           fieldConfig={"defaults": {"unit": "percentunit", "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "red", "value": 0.01}]}}, "overrides": []}),
     panel("timeseries", "Collector events/s by topic", 0, 16, 8, 8,
           [target('sum by (topic) (rate(lazykoala_collector_events_total[$__rate_interval]))', "A", "{{topic}}")], fieldConfig={"defaults": {"unit": "ops"}, "overrides": []}),
     panel("timeseries", "Collector records sent/s by topic", 8, 16, 8, 8,
           [target('sum by (topic) (rate(lazykoala_collector_records_sent_total[$__rate_interval]))', "A", "{{topic}}")], fieldConfig={"defaults": {"unit": "ops"}, "overrides": []}),
     panel("timeseries", "Collector drops/s by node and cause", 16, 16, 8, 8,
           [target('sum by (instance, cause) (rate(lazykoala_collector_records_dropped_total[$__rate_interval]))', "A", "{{instance}} {{cause}}")], fieldConfig={"defaults": {"unit": "ops"}, "overrides": []}),
     panel("timeseries", "Collector buffered records by node", 0, 24, 8, 8,
           [target('max by (instance) (lazykoala_collector_buffered_records)', "A", "{{instance}}")]),
     panel("timeseries", "Collector Kafka errors/s", 8, 24, 8, 8,
           [target('sum by (instance) (rate(lazykoala_collector_kafka_errors_total[$__rate_interval]))', "A", "{{instance}}")]),
     panel("timeseries", "Targets reloads and rejected target files", 16, 24, 8, 8,
           [target('sum by (instance) (increase(lazykoala_collector_targets_reloads_total[$__rate_interval]))', "A", "reloads {{instance}}"),
            target('sum by (instance) (increase(lazykoala_collector_targets_errors_total[$__rate_interval]))', "B", "rejected {{instance}}")]),
     panel("timeseries", "Remote-write samples/s by outcome", 0, 32, 12, 8,
           [target('sum by (outcome) (rate(lazykoala_remote_write_samples_total[$__rate_interval]))', "A", "{{outcome}}")], fieldConfig={"defaults": {"unit": "ops"}, "overrides": []}),
     panel("timeseries", "Collector drop share (5m) by node", 12, 32, 12, 8,
           [target('sum by (instance) (rate(lazykoala_collector_records_dropped_total[5m])) / clamp_min(sum by (instance) (rate(lazykoala_collector_events_total[5m])), 1e-9)', "A", "{{instance}}")], fieldConfig={"defaults": {"unit": "percentunit"}, "overrides": []}),
    ], ["pipeline"])
for name, d in [("service-map", service_map), ("incident", incident), ("pipeline-health", pipeline)]:
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "grafana", f"{name}.json"), "w") as f:
        json.dump(d, f, indent=2, ensure_ascii=False)
        f.write("\n")
