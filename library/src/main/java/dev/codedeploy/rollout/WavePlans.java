package dev.codedeploy.rollout;

import dev.codedeploy.release.Waves;
import java.util.ArrayList;
import java.util.List;

/** Wave plan arithmetic of the control plane (the hosts' side is {@link Waves}). */
final class WavePlans {

    private WavePlans() {
    }

    /**
     * Splits every step of {@code plan} larger than {@code maxStep} percent into equal steps no larger than it:
     * {@code [1, 10, 50, 100]} with 25 becomes {@code [1, 10, 30, 50, 75, 100]}.
     */
    static List<Integer> split(List<Integer> plan, int maxStep) {
        Waves.check(plan);
        List<Integer> steps = new ArrayList<>();
        int previous = 0;
        for (int target : plan) {
            int gap = target - previous;
            int parts = (gap + maxStep - 1) / maxStep;
            for (int i = 1; i < parts; i++) {
                steps.add(previous + (int) Math.round((double) gap * i / parts));
            }
            steps.add(target);
            previous = target;
        }
        return List.copyOf(steps);
    }
}
