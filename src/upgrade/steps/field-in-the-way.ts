import { FieldType } from '../../declarations/field-type';
import { ActualField, ActualObject } from '../../metadata/actual-state';

/**
 * What stops `field` of `object` from becoming `newName` of type `newType` in place: another field
 * of the object named `newName` or like one of the new `columns`, as the step's error; null when
 * nothing is in the way.
 */
export const fieldInTheWay = (
  object: ActualObject,
  field: ActualField,
  newName: string,
  newType: FieldType,
  columns: string[],
): Error | null => {
  const clash = object.fields.find((other) => other !== field && (other.name === newName || columns.includes(other.name)));
  return clash
    ? new Error(
        `${object.nameSingular}.${field.name} cannot become ${newName} (${newType}): field "${clash.name}" is in the way; rename it, then run the step again`,
      )
    : null;
};
