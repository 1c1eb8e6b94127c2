package io.lazykoala.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.lazykoala.operator.config.ConfigPublisher;
import io.lazykoala.operator.reconciler.InspectorReconciler;
import io.lazykoala.operator.targets.TargetsConfigMap;

import java.time.Clock;

/** Wires JOSDK, the reconciler, the targets ConfigMap and the publisher; used by {@link OperatorMain} and tests alike. */
public final class InspectorOperator {
    private InspectorOperator() {}

    public static Operator create(KubernetesClient client, OperatorSettings settings, ConfigPublisher publisher) {
        return create(client, settings, publisher, true);
    }

    /**
     * @param exitOnStopLeading a leader that loses its Lease exits (and is restarted by Kubernetes
     *                          with clean caches); tests turn this off to keep the JVM
     */
    static Operator create(KubernetesClient client, OperatorSettings settings, ConfigPublisher publisher, boolean exitOnStopLeading) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // The CRD is installed by the chart; the operator needs no cluster-scoped read of CRDs.
                    .checkingCRDAndValidateLocalModel(false)
                    // Status and finalizers are written with JSON merge patches rather than server-side
                    // apply: the operator is the only writer of status, and the same path then runs
                    // against the mock API server in the tests as in a cluster.
                    .withUseSSAToPatchPrimaryResource(false)
                    // Compare resourceVersions so a late watch event never replaces the status this
                    // operator just wrote in its cache (the next JSON patch would be computed on stale data).
                    .withParseResourceVersions(true)
                    .withStopOnInformerErrorDuringStartup(true);
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME, settings.namespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, null, exitOnStopLeading));
            }
        });
        TargetsConfigMap targets = new TargetsConfigMap(client, settings.namespace(), settings.targetsConfigMap());
        operator.register(new InspectorReconciler(targets, publisher, Clock.systemUTC()));
        return operator;
    }
}
