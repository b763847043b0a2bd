import { z } from 'zod';

import { textList } from './fields';

/** The binary properties of an item to upload as attachments. */
export const binaryAttachmentsSchema = z.object({ binary_properties: textList });

export const binaryAttachmentsLabels: Record<string, string> = { binary_properties: 'Binary Properties' };
