import { UpgradeStep } from '../../upgrade-step';
import { addAddressToViews } from './add-address-to-views.step';
import { deprecateCompanyAddress } from './deprecate-company-address.step';
import { migrateEmailFieldsToEmails } from './migrate-email-fields-to-emails.step';
import { migrateLinkFieldsToLinks } from './migrate-link-fields-to-links.step';

/** The steps of 0.23, in the order they run within their phase. */
export const UPGRADE_0_23_STEPS: UpgradeStep[] = [
  migrateEmailFieldsToEmails,
  migrateLinkFieldsToLinks,
  deprecateCompanyAddress,
  addAddressToViews,
];
