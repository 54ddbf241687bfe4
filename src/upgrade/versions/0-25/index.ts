import { UpgradeStep } from '../../upgrade-step';
import { addTargetRelationsToCustomObjects } from './add-target-relations-to-custom-objects.step';
import { addSearchVectors } from './add-search-vectors.step';
import { addTaskViews } from './add-task-views.step';
import { buildSearchIndexes } from './build-search-indexes.step';
import { migrateNoteBodyToRichText } from './migrate-note-body-to-rich-text.step';
import { migratePhoneFieldsToPhones } from './migrate-phone-fields-to-phones.step';

/**
 * The steps of 0.25, in the order they run within their phase: the data moves first, then the
 * search vectors (which read the moved columns), then after the sync the target relations of
 * existing custom objects and the new objects' views.
 */
export const UPGRADE_0_25_STEPS: UpgradeStep[] = [
  migratePhoneFieldsToPhones,
  migrateNoteBodyToRichText,
  addSearchVectors,
  buildSearchIndexes,
  addTargetRelationsToCustomObjects,
  addTaskViews,
];
