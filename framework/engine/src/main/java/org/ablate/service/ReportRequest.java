package org.ablate.service;

import org.ablate.store.ExperimentFolder;

/**
 * What {@code ablate report} was asked to do.
 *
 * @param experiment  the experiment's name or file, as given
 * @param folder      its results folder
 * @param trackingUri {@code --tracking-uri}, or null
 * @param all         every trial in the folder, not only the latest invocation's
 */
public record ReportRequest(String experiment, ExperimentFolder folder, String trackingUri, boolean all) {
}
