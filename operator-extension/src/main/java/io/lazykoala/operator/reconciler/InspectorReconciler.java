package io.lazykoala.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.lazykoala.operator.api.Inspector;
import io.lazykoala.operator.api.InspectorSpec;
import io.lazykoala.operator.api.InspectorStatus;
import io.lazykoala.operator.api.WorkloadRef;
import io.lazykoala.operator.config.ConfigPublisher;
import io.lazykoala.operator.config.DesiredConfig;
import io.lazykoala.operator.targets.LabelSelectorMatcher;
import io.lazykoala.operator.targets.TargetSelection;
import io.lazykoala.operator.targets.TargetsConfigMap;
import io.lazykoala.telemetry.Workload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns Inspectors into collector targets and {@code lazykoala.config} records. Driven by informers
 * on Pods, Services and the three workload kinds (no polling): any change in a namespace an
 * Inspector targets re-runs that Inspector. Errors (API, Kafka) propagate so JOSDK retries with
 * exponential backoff; specs that resolve to nothing are a Degraded condition, not an error.
 */
@ControllerConfiguration(name = InspectorReconciler.NAME, finalizerName = InspectorReconciler.FINALIZER)
@GradualRetry(maxAttempts = 1000, initialInterval = 500, intervalMultiplier = 2.0, maxInterval = 300_000)
public class InspectorReconciler implements Reconciler<Inspector>, Cleaner<Inspector> {
    public static final String NAME = "inspector";
    public static final String FINALIZER = "lazykoala.io/finalizer";
    private static final Logger LOG = LoggerFactory.getLogger(InspectorReconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TargetsConfigMap targets;
    private final ConfigPublisher publisher;
    private final Clock clock;

    private InformerEventSource<Pod, Inspector> pods;
    private InformerEventSource<Service, Inspector> services;
    private InformerEventSource<Deployment, Inspector> deployments;
    private InformerEventSource<StatefulSet, Inspector> statefulSets;
    private InformerEventSource<DaemonSet, Inspector> daemonSets;

    public InspectorReconciler(TargetsConfigMap targets, ConfigPublisher publisher, Clock clock) {
        this.targets = targets;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, Inspector>> prepareEventSources(EventSourceContext<Inspector> context) {
        pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, Inspector.class)
                .withName("pods")
                .withSecondaryToPrimaryMapper(byTargetNamespace(context.getPrimaryCache()))
                // Pod status churns (probes, container states); only what changes a target matters.
                .withOnUpdateFilter((now, before) -> !PodFingerprint.of(now).equals(PodFingerprint.of(before)))
                .build(), context);
        services = new InformerEventSource<>(InformerEventSourceConfiguration.from(Service.class, Inspector.class)
                .withName("services")
                .withSecondaryToPrimaryMapper(byTargetNamespace(context.getPrimaryCache()))
                .withOnUpdateFilter((now, before) -> !Objects.equals(now.getSpec().getSelector(), before.getSpec().getSelector()))
                .build(), context);
        deployments = workloadSource(Deployment.class, context);
        statefulSets = workloadSource(StatefulSet.class, context);
        daemonSets = workloadSource(DaemonSet.class, context);
        return List.of(pods, services, deployments, statefulSets, daemonSets);
    }

    /** Workload informers only matter for their selector (and existence): replica changes show up as pod events. */
    private <W extends HasMetadata> InformerEventSource<W, Inspector> workloadSource(Class<W> kind, EventSourceContext<Inspector> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, Inspector.class)
                .withName(kind.getSimpleName().toLowerCase())
                .withSecondaryToPrimaryMapper(byTargetNamespace(context.getPrimaryCache()))
                .withOnUpdateFilter((now, before) -> !Objects.equals(selectorOf(now), selectorOf(before)))
                .build(), context);
    }

    /** Any change in a namespace wakes every Inspector that targets it; selection is then exact, on the cache. */
    private static <R extends HasMetadata> SecondaryToPrimaryMapper<R> byTargetNamespace(IndexerResourceCache<Inspector> inspectors) {
        return r -> inspectors.list(i -> i.getSpec() != null && i.targetNamespace().equals(r.getMetadata().getNamespace()))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<Inspector> reconcile(Inspector inspector, Context<Inspector> context) throws Exception {
        InspectorSpec spec = inspector.getSpec();
        String ns = inspector.targetNamespace();
        String key = inspector.key();
        InspectorStatus old = inspector.getStatus() == null ? new InspectorStatus() : inspector.getStatus();

        TargetResolution resolution = resolve(ns, spec);
        TargetSelection selection = resolution.resolved()
                ? TargetSelection.select(key, resolution.podSelector(), Set.copyOf(spec.getExcludeServices()),
                        pods.list(ns, p -> true).toList(), services.list(ns, s -> true).toList())
                : new TargetSelection(List.of(), List.of(), List.of(), 0);

        if (targets.replaceEntries(key, selection.targets())) {
            LOG.info("{}: targets now {} IPs of {} pods", key, selection.podIPs().size(), selection.pods());
        }

        // A workload briefly without pods (single replica rescheduled, scaled to zero) keeps its config:
        // unmonitoring and re-monitoring would reset the job's learned bounds for nothing.
        List<String> monitored = resolution.resolved() && selection.pods() == 0
                && Objects.equals(old.getObservedGeneration(), inspector.getMetadata().getGeneration())
                ? old.getServices() : selection.services();
        DesiredConfig desired = DesiredConfig.of(ns, monitored, spec);
        if (!desired.hash().equals(old.getPublishedConfigHash()) && !desired.services().isEmpty()) {
            publisher.publish(desired.records(clock.millis()));
            LOG.info("{}: published config for {}", key, desired.services());
        }
        Set<String> gone = new TreeSet<>(old.getServices());
        gone.removeAll(monitored);
        unpublish(inspector, ns, gone, context);

        InspectorStatus status = new InspectorStatus();
        status.setObservedGeneration(inspector.getMetadata().getGeneration());
        status.setTarget(resolution.target());
        status.setMonitoredPods(selection.pods());
        status.setServiceCount(monitored.size());
        status.setPodIPs(selection.podIPs());
        status.setServices(monitored);
        status.setPublishedConfigHash(desired.services().isEmpty() ? null : desired.hash());
        status.setConditions(conditionsFor(inspector, old, resolution, selection, ns));

        if (sameJson(old, status)) return UpdateControl.noUpdate();
        // JOSDK patches the status with a JSON patch against its cached copy; if that copy is stale the
        // API server refuses it (422) and the reconcile is retried on fresh data.
        inspector.setStatus(status);
        return UpdateControl.patchStatus(inspector);
    }

    private TargetResolution resolve(String ns, InspectorSpec spec) {
        WorkloadRef ref = spec.getWorkloadRef();
        if (ref != null) {
            String target = ref.getKind() + "/" + ref.getName();
            ResourceID id = new ResourceID(ref.getName(), ns);
            HasMetadata workload = switch (ref.getKind()) {
                case Deployment -> deployments.get(id).orElse(null);
                case StatefulSet -> statefulSets.get(id).orElse(null);
                case DaemonSet -> daemonSets.get(id).orElse(null);
            };
            if (workload == null) {
                return TargetResolution.failed(target, "WorkloadNotFound",
                        ref.getKind() + " " + ns + "/" + ref.getName() + " does not exist");
            }
            LabelSelector selector = selectorOf(workload);
            if (selector == null || LabelSelectorMatcher.isEmpty(selector)) {
                return TargetResolution.failed(target, "WorkloadHasNoSelector",
                        ref.getKind() + " " + ns + "/" + ref.getName() + " has no pod selector");
            }
            return TargetResolution.ok(target, selector);
        }
        LabelSelector selector = spec.getSelector();
        if (selector == null || LabelSelectorMatcher.isEmpty(selector)) {
            return TargetResolution.failed("selector (empty)", "EmptySelector",
                    "spec.selector is empty; it would select every pod in " + ns);
        }
        return TargetResolution.ok("selector " + LabelSelectorMatcher.describe(selector), selector);
    }

    private List<io.fabric8.kubernetes.api.model.Condition> conditionsFor(Inspector inspector, InspectorStatus old,
            TargetResolution resolution, TargetSelection selection, String ns) {
        Long gen = inspector.getMetadata().getGeneration();
        var now = clock.instant();
        var conditions = old.getConditions();
        if (!resolution.resolved()) {
            conditions = Conditions.set(conditions, Conditions.DEGRADED, true, resolution.failureReason(), resolution.failureMessage(), gen, now);
            return Conditions.set(conditions, Conditions.READY, false, resolution.failureReason(), resolution.failureMessage(), gen, now);
        }
        if (selection.pods() == 0) {
            String msg = resolution.target() + " matches no running pod with an IP in namespace " + ns;
            conditions = Conditions.set(conditions, Conditions.DEGRADED, true, "NoPodsSelected", msg, gen, now);
            return Conditions.set(conditions, Conditions.READY, false, "NoPodsSelected", msg, gen, now);
        }
        String msg = "monitoring " + selection.pods() + " pods of " + selection.services().size() + " services";
        conditions = Conditions.set(conditions, Conditions.DEGRADED, false, "AsExpected", "", gen, now);
        return Conditions.set(conditions, Conditions.READY, true, "Monitoring", msg, gen, now);
    }

    @Override
    public ErrorStatusUpdateControl<Inspector> updateErrorStatus(Inspector inspector, Context<Inspector> context, Exception e) {
        InspectorStatus status = inspector.getStatus() == null ? new InspectorStatus() : inspector.getStatus();
        String msg = oneLine(e);
        LOG.warn("{}: reconcile failed (attempt {}), will retry: {}", inspector.key(),
                context.getRetryInfo().map(r -> r.getAttemptCount()).orElse(1), msg);
        var now = clock.instant();
        Long gen = inspector.getMetadata().getGeneration();
        status.setConditions(Conditions.set(status.getConditions(), Conditions.DEGRADED, true, "ReconcileError", msg, gen, now));
        inspector.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(inspector);
    }

    @Override
    public DeleteControl cleanup(Inspector inspector, Context<Inspector> context) throws Exception {
        String key = inspector.key();
        targets.replaceEntries(key, List.of());
        List<String> published = inspector.getStatus() == null ? List.of() : inspector.getStatus().getServices();
        unpublish(inspector, inspector.targetNamespace(), new TreeSet<>(published), context);
        LOG.info("{}: removed targets and config of {}", key, published);
        return DeleteControl.defaultDelete();
    }

    /** Tombstones services this Inspector no longer monitors, unless another Inspector still publishes them. */
    private void unpublish(Inspector inspector, String ns, Set<String> services, Context<Inspector> context) throws Exception {
        if (services.isEmpty()) return;
        Set<String> stillClaimed = new HashSet<>();
        context.getPrimaryCache().list(i -> !i.key().equals(inspector.key()) && i.getStatus() != null
                        && i.getSpec() != null && i.targetNamespace().equals(ns))
                .forEach(i -> stillClaimed.addAll(i.getStatus().getServices()));
        List<Workload> tombstones = services.stream().filter(s -> !stillClaimed.contains(s)).map(s -> Workload.of(ns, s)).toList();
        if (!tombstones.isEmpty()) {
            publisher.unpublish(tombstones);
            LOG.info("{}: unpublished {}", inspector.key(), tombstones);
        }
    }

    static LabelSelector selectorOf(HasMetadata workload) {
        if (workload instanceof Deployment d) return d.getSpec() == null ? null : d.getSpec().getSelector();
        if (workload instanceof StatefulSet s) return s.getSpec() == null ? null : s.getSpec().getSelector();
        if (workload instanceof DaemonSet d) return d.getSpec() == null ? null : d.getSpec().getSelector();
        return null;
    }

    private static boolean sameJson(Object a, Object b) {
        try {
            return JSON.writeValueAsString(a).equals(JSON.writeValueAsString(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) t = t.getCause();
        String m = t.getClass().getSimpleName() + ": " + Objects.requireNonNullElse(t.getMessage(), "");
        m = m.replaceAll("\\s+", " ");
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
