import { UpgradeStep } from '../../upgrade-step';
import { addPointOfContactToViews } from './add-point-of-contact-to-views.step';
import { backfillOpportunityPointOfContact } from './backfill-opportunity-point-of-contact.step';
import { buildPersonEmailUniqueIndex } from './build-person-email-unique-index.step';

/** The steps of 0.24, in the order they run within their phase. */
export const UPGRADE_0_24_STEPS: UpgradeStep[] = [buildPersonEmailUniqueIndex, backfillOpportunityPointOfContact, addPointOfContactToViews];
