package org.ablate.service;

import org.ablate.store.ExperimentFolder;

/**
 * What {@code ablate sync} was asked to do.
 *
 * @param experimentName the experiment's name
 * @param folder         its results folder
 * @param trackingUri    {@code --tracking-uri}, or null
 */
public record SyncRequest(String experimentName, ExperimentFolder folder, String trackingUri) {
}
