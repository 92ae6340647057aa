/** Box-to-Caption: rule-based captions from boxes, with configurable wording. */
package io.remoteclip.data.caption;
